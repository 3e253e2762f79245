"""Support an advisor gives an applicant company (伴走支援): the engagement itself, hearing
records the applicant confirms, and training whose attendance only the attendee can record."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint
from dxgrant.core.search import Searchable
from dxgrant.core.tokens import token_from_nonce

from .lifecycle import ENGAGEMENT, EngagementStatus

__all__ = [
    "Attendance",
    "CheckInAttempt",
    "CheckInOutcome",
    "ClientInvitation",
    "Engagement",
    "EngagementMember",
    "EngagementRole",
    "EngagementStatus",
    "HearingRecord",
    "HearingResponse",
    "TrainingFormat",
    "TrainingQuizAttempt",
    "TrainingSession",
]

# The purpose an invitation link's token is derived for (never change it: live links use it).
INVITATION_LINK_PURPOSE = "client-invitation"


class Engagement(Searchable, models.Model):
    """A certified firm supporting one applicant company in one round. The application of
    that company in that round (see applications) hangs off this."""

    # The support staff list finds an engagement by these (dxgrant.core.search).
    SEARCH_FIELDS = ("company_name", "corporate_number")

    firm = models.ForeignKey("advisors.AdvisorFirm", on_delete=models.PROTECT, related_name="engagements")
    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="engagements")
    lead_advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_engagements"
    )
    company_name = models.CharField(_("会社名・屋号"), max_length=200)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    status = models.CharField(
        max_length=20, choices=EngagementStatus.choices, default=EngagementStatus.INVITED
    )
    # One per form shown: a double submit creates one engagement.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Support ended by the company's representative or the firm (the company may then choose
    # another firm in the round).
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(_("終了の理由"), blank=True)
    end_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("支援先")
        verbose_name_plural = _("支援先")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["firm", "-id"]),
            models.Index(fields=["lead_advisor", "-id"]),
            models.Index(fields=["round", "status", "-id"]),
            # The secretariat's list counts the invitations of one 法人番号 in a round.
            models.Index(fields=["round", "corporate_number"]),
        ]
        constraints = [
            # One company (by 法人番号) is supported by one firm per round. Only an accepted
            # engagement counts: an invitation the company never answered must not keep other
            # firms away (a firm could otherwise claim companies by inviting them).
            models.UniqueConstraint(
                fields=["round", "corporate_number"],
                condition=~Q(corporate_number="") & Q(status="active"),
                name="one_active_engagement_per_company_round",
            ),
            status_constraint("status", ENGAGEMENT, "engagement_status_valid"),
        ]

    def __str__(self) -> str:
        return self.company_name


class EngagementRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("代表者")
    STAFF = "staff", _("担当者")


class EngagementMember(models.Model):
    """A person of the applicant company (never of the advisor firm)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagement_memberships"
    )
    role = models.CharField(max_length=20, choices=EngagementRole.choices, default=EngagementRole.STAFF)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申請者側の担当者")
        verbose_name_plural = _("申請者側の担当者")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "user"], name="engagement_member_once"),
            models.UniqueConstraint(
                fields=["engagement"], condition=Q(role="representative"), name="one_representative"
            ),
            models.CheckConstraint(
                condition=Q(role__in=EngagementRole.values), name="engagement_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.engagement_id}"


class ClientInvitation(models.Model):
    """An invitation for a person of the applicant company to join the engagement.

    Only the hash of the link's token is stored. The token itself is derived from the secret
    key and `token_nonce` (see `link_token`), so the email task can rebuild the
    link from the invitation's id, while the database alone holds no working link. Resending
    draws a new nonce: the old link stops working at once.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("メールアドレス"))
    name = models.CharField(_("氏名"), max_length=100)
    role = models.CharField(
        max_length=20, choices=EngagementRole.choices, default=EngagementRole.REPRESENTATIVE
    )
    token_hash = models.CharField(max_length=64, unique=True)
    token_nonce = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the current link was made, and when it was emailed (the email task sends it once).
    issued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_client_invitation_per_email",
            ),
            models.CheckConstraint(
                condition=Q(role__in=EngagementRole.values), name="client_invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.engagement_id}"

    def link_token(self) -> str:
        """The raw token of the current link (only the email task and tests need it)."""
        return token_from_nonce(INVITATION_LINK_PURPOSE, self.token_nonce)

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.is_open and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class HearingResponse(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    ACKNOWLEDGED = "acknowledged", _("確認済み")
    DISPUTED = "disputed", _("異議あり")


class HearingRecord(models.Model):
    """A hearing (ヒアリング) the advisor held. The advisor writes it; the applicant confirms or
    disputes it. It can be edited only while it awaits the applicant's answer; every edit
    raises `revision`, and an answer given to an older revision is refused, so nobody confirms
    a text they did not see. A disputed record stays as it is: the advisor answers it with a
    new record that `corrects` it, which the applicant confirms in turn."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="hearings")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("実施日"))
    attendees = models.TextField(_("出席者"), max_length=1000)
    topics = models.TextField(_("話し合った内容"), max_length=4000)
    challenges = models.TextField(_("見つかった経営課題"), max_length=4000)
    next_steps = models.TextField(_("合意した次の行動"), max_length=4000)
    response = models.CharField(
        max_length=20, choices=HearingResponse.choices, default=HearingResponse.PENDING
    )
    response_comment = models.TextField(_("申請者のコメント"), blank=True, max_length=2000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("訂正する記録"),
    )
    # When the representative was told of the record (the email task sends once).
    notified_at = models.DateTimeField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ヒアリング記録")
        verbose_name_plural = _("ヒアリング記録")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["engagement", "response"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(response="pending", responded_at__isnull=True)
                | (~Q(response="pending") & Q(responded_at__isnull=False, responded_by__isnull=False)),
                name="hearing_answer_complete",
            ),
            models.CheckConstraint(
                condition=~Q(response="disputed") | ~Q(response_comment=""),
                name="hearing_dispute_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(response__in=HearingResponse.values), name="hearing_response_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engagement_id} {self.held_on}"


class TrainingFormat(models.TextChoices):
    ONSITE = "onsite", _("対面")
    ONLINE = "online", _("オンライン")


class TrainingSession(models.Model):
    """A training session for the applicant's people, on one curriculum unit of the round."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="training_sessions")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    curriculum_code = models.CharField(_("カリキュラム"), max_length=50)
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    format = models.CharField(_("形式"), max_length=20, choices=TrainingFormat.choices)
    location = models.CharField(_("場所・URL"), max_length=300, blank=True)
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_invitations", blank=True
    )
    # The secret behind the check-in code shown during the session; never shown itself.
    checkin_secret = models.CharField(max_length=64)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the invitees were told (the email task sends once).
    notified_at = models.DateTimeField(null=True, blank=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("研修")
        verbose_name_plural = _("研修")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["engagement", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_ends_after_start"),
            models.CheckConstraint(
                condition=Q(format__in=TrainingFormat.values), name="training_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curriculum_code} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at) / dt.timedelta(hours=1)


class Attendance(models.Model):
    """A check-in, made only by the attendee themselves with the code shown in the session."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    checked_in_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.session_id}"


class CheckInOutcome(models.TextChoices):
    CHECKED_IN = "checked_in", _("出席を記録")
    WRONG_CODE = "wrong_code", _("コードの誤り")
    BEFORE_WINDOW = "before_window", _("開始前")
    AFTER_WINDOW = "after_window", _("受付時間の終了後")
    FIRM_NOT_IN_GOOD_STANDING = "firm_not_in_good_standing", _("認定事業者が支援を行えない")
    TOO_MANY_ATTEMPTS = "too_many_attempts", _("失敗が続いたため受付停止中")


class CheckInAttempt(models.Model):
    """One check-in attempt with a code, refused or not: what the limit on wrong codes counts
    (the audit log records the same attempts, but is never read to decide)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="checkin_attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=30, choices=CheckInOutcome.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("出席コードの入力")
        verbose_name_plural = _("出席コードの入力")
        ordering = ["-at", "-id"]
        # The limit counts one person's refused attempts at one session in a rolling window.
        indexes = [models.Index(fields=["session", "user", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=CheckInOutcome.values), name="checkin_attempt_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.session_id}: {self.outcome}"

    @property
    def refused(self) -> bool:
        return self.outcome != CheckInOutcome.CHECKED_IN


class TrainingQuizAttempt(models.Model):
    """The comprehension quiz after training, answered by the attendee themselves."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="quiz_attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    score_percent = models.PositiveIntegerField()
    passed = models.BooleanField()
    # One per form shown: a double submit is stored once.
    submission_token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("確認テストの解答")
        verbose_name_plural = _("確認テストの解答")
        ordering = ["-id"]
        indexes = [models.Index(fields=["engagement", "user"])]
        constraints = [
            # Once someone passed, they do not sit it again.
            models.UniqueConstraint(
                fields=["engagement", "user"], condition=Q(passed=True), name="training_quiz_passed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.score_percent}%"
