"""Advisor firms (認定事業者): registration, certification and the people who act for them.

A firm registers (draft → submitted → certified, or changes requested / rejected). Once certified
it carries a certification number and a validity period, and can be suspended, reinstated,
renewed or revoked. Facts that are searched or filtered (prefecture, status, validity, fees)
are real columns.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint
from dxgrant.core.search import Searchable


class LegalForm(models.TextChoices):
    KABUSHIKI = "kabushiki_kaisha", _("株式会社")
    GODO = "godo_kaisha", _("合同会社")
    GOMEI_GOSHI = "gomei_goshi", _("合名会社・合資会社")
    IPPAN_SHADAN = "ippan_shadan", _("一般社団法人・一般財団法人")
    NPO = "npo", _("特定非営利活動法人")
    OTHER_CORPORATION = "other_corporation", _("その他の法人")
    SOLE_PROPRIETOR = "sole_proprietor", _("個人事業主")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("審査中")
    CHANGES_REQUESTED = "changes_requested", _("修正依頼")
    REJECTED = "rejected", _("不認定")
    CERTIFIED = "certified", _("認定済み")


class CertificationState(models.TextChoices):
    """Stored state of a certified firm. `expired` is never stored: it is computed from
    `valid_until`, so a certificate lapses at midnight without any job having to run."""

    ACTIVE = "active", _("有効")
    SUSPENDED = "suspended", _("停止中")
    REVOKED = "revoked", _("取消")


class PublicStatus(models.TextChoices):
    ACTIVE = "active", _("有効")
    SUSPENDED = "suspended", _("停止中")
    REVOKED = "revoked", _("取消")
    EXPIRED = "expired", _("期限切れ")


class FeeTiming(models.TextChoices):
    BEFORE_DECISION = "before_decision", _("交付決定前（着手時など）")
    AFTER_DECISION = "after_decision", _("交付決定後")
    AFTER_PAYMENT = "after_payment", _("支援金の交付後")
    MONTHLY = "monthly", _("月額（支援期間中）")


class AdvisorFirmQuerySet(models.QuerySet["AdvisorFirm"]):
    def certified(self) -> AdvisorFirmQuerySet:
        return self.filter(registration_status=RegistrationStatus.CERTIFIED)

    def in_good_standing(self, today: dt.date | None = None) -> AdvisorFirmQuerySet:
        """Certified, not suspended or revoked, and inside the validity period."""
        today = today or timezone.localdate()
        return self.certified().filter(
            certification_state=CertificationState.ACTIVE, valid_from__lte=today, valid_until__gte=today
        )


class AdvisorFirm(Searchable, models.Model):
    # The public register, the review queue and the staff lists' firm filter find a firm by
    # any of these (dxgrant.core.search).
    SEARCH_FIELDS = ("name", "name_kana", "certification_number", "corporate_number")

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.PROTECT, related_name="advisor_firms"
    )
    registration_status = models.CharField(
        _("登録状況"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    # Identity
    legal_form = models.CharField(_("法人格"), max_length=30, choices=LegalForm.choices, blank=True)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    invoice_number = models.CharField(_("インボイス登録番号"), max_length=14, blank=True)
    name = models.CharField(_("事業者名"), max_length=200)
    name_kana = models.CharField(_("事業者名（フリガナ）"), max_length=200, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True, db_index=True)
    city = models.CharField(_("市区町村"), max_length=100, blank=True)
    address_line = models.CharField(_("番地・建物名"), max_length=200, blank=True)
    representative_name = models.CharField(_("代表者氏名"), max_length=100, blank=True)
    representative_title = models.CharField(_("代表者役職"), max_length=100, blank=True)
    contact_name = models.CharField(_("担当者氏名"), max_length=100, blank=True)
    contact_email = models.EmailField(_("担当者メールアドレス"), blank=True)
    contact_phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    # Competence
    qualifications = models.TextField(_("保有資格"), blank=True, max_length=2000)
    experience = models.TextField(_("支援実績・経験"), blank=True, max_length=4000)
    # Fees (disclosed on the public register)
    fee_policy = models.TextField(_("報酬の方針"), blank=True, max_length=2000)
    fee_fixed_yen = models.PositiveBigIntegerField(_("定額報酬（円・税込）"), null=True, blank=True)
    fee_fixed_timing = models.CharField(
        _("定額報酬の支払時期"), max_length=20, choices=FeeTiming.choices, blank=True
    )
    success_fee_percent = models.DecimalField(
        _("成功報酬（支援金額に対する％）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    success_fee_timing = models.CharField(
        _("成功報酬の支払時期"), max_length=20, choices=FeeTiming.choices, blank=True
    )
    charges_before_decision = models.BooleanField(_("交付決定前に報酬を受け取る"), null=True)
    # Independence
    sells_it_products = models.BooleanField(_("自社または関係者がIT製品・サービスを販売している"), null=True)
    it_products_disclosure = models.TextField(_("販売している製品・サービス"), blank=True, max_length=2000)
    # Declarations: {key: {"at": iso, "ip": str}}; each ticked by the firm's administrator.
    declarations = models.JSONField(_("宣誓"), default=dict, blank=True)
    # Certification
    certification_number = models.CharField(_("認定番号"), max_length=20, unique=True, null=True, blank=True)
    certification_state = models.CharField(
        _("認定の状態"), max_length=20, choices=CertificationState.choices, blank=True, db_index=True
    )
    valid_from = models.DateField(_("認定有効期間（開始）"), null=True, blank=True)
    valid_until = models.DateField(_("認定有効期間（終了）"), null=True, blank=True, db_index=True)
    state_reason = models.TextField(_("停止・取消の理由"), blank=True)
    # When the certification state last changed (suspended, reinstated, revoked): shown on the register.
    state_changed_at = models.DateTimeField(_("認定の状態の変更日時"), null=True, blank=True)
    # Workflow
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登録者")
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock for the registration form: two tabs never silently overwrite each other.
    revision = models.PositiveIntegerField(default=0)

    objects = AdvisorFirmQuerySet.as_manager()

    class Meta:
        verbose_name = _("認定事業者")
        verbose_name_plural = _("認定事業者")
        ordering = ["-id"]
        indexes = [models.Index(fields=["registration_status", "-id"])]
        constraints = [
            # The columns hold only the states of the lifecycle tables (lifecycle.py) and the
            # choices below, whatever writes them.
            status_constraint(
                "registration_status", RegistrationStatus.values, "firm_registration_status_known"
            ),
            status_constraint(
                "certification_state", ["", *CertificationState.values], "firm_certification_state_known"
            ),
            status_constraint("legal_form", ["", *LegalForm.values], "firm_legal_form_known"),
            status_constraint("fee_fixed_timing", ["", *FeeTiming.values], "firm_fee_fixed_timing_known"),
            status_constraint("success_fee_timing", ["", *FeeTiming.values], "firm_success_fee_timing_known"),
            models.CheckConstraint(
                condition=Q(registration_status="certified", certification_number__isnull=False)
                | ~Q(registration_status="certified"),
                name="certified_firm_has_number",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="firm_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def public_status(self, today: dt.date | None = None) -> PublicStatus | None:
        """What the public register shows; None while not certified."""
        if self.registration_status != RegistrationStatus.CERTIFIED:
            return None
        if self.certification_state == CertificationState.REVOKED:
            return PublicStatus.REVOKED
        if self.certification_state == CertificationState.SUSPENDED:
            return PublicStatus.SUSPENDED
        today = today or timezone.localdate()
        if self.valid_until is not None and self.valid_until < today:
            return PublicStatus.EXPIRED
        return PublicStatus.ACTIVE

    def in_good_standing(self, today: dt.date | None = None) -> bool:
        return self.public_status(today) == PublicStatus.ACTIVE


class ProposedAdvisor(models.Model):
    """A person the firm says will act as an advisor (part of the registration)."""

    firm = models.ForeignKey(AdvisorFirm, on_delete=models.CASCADE, related_name="proposed_advisors")
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    qualifications = models.CharField(_("資格・経験"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("アドバイザー候補者")
        verbose_name_plural = _("アドバイザー候補者")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class FirmDocument(models.Model):
    """A file attached to a registration. Stored privately; served only through a view that checks access."""

    firm = models.ForeignKey(AdvisorFirm, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("書類の種類"), max_length=50)
    file = models.FileField(upload_to="advisor-firms/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("登録書類")
        verbose_name_plural = _("登録書類")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("提出")
    CHANGES_REQUESTED = "changes_requested", _("修正依頼")
    REJECTED = "rejected", _("不認定")
    CERTIFIED = "certified", _("認定")
    RENEWED = "renewed", _("更新")
    SUSPENDED = "suspended", _("停止")
    REINSTATED = "reinstated", _("停止解除")
    REVOKED = "revoked", _("取消")


class FirmReviewEvent(models.Model):
    """The history of a firm's registration and certification, as shown to staff and the firm."""

    firm = models.ForeignKey(AdvisorFirm, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(max_length=30, choices=ReviewAction.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed by the tasks that send the emails, so a task that runs twice sends once.
    firm_notified_at = models.DateTimeField(null=True, blank=True)
    applicants_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [status_constraint("action", ReviewAction.values, "firm_review_event_action_known")]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.action}"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("管理者")
    ADVISOR = "advisor", _("アドバイザー")


class FirmMembership(models.Model):
    """A person acting for a firm. The registrant is its first administrator."""

    firm = models.ForeignKey(AdvisorFirm, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default=MembershipRole.ADVISOR)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("所属アドバイザー")
        verbose_name_plural = _("所属アドバイザー")
        constraints = [
            # One firm per person: an advisor acts for one certified firm at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="one_active_firm_per_user"
            ),
            status_constraint("role", MembershipRole.values, "firm_membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.firm_id} ({self.role})"


# What an invitation link's token is derived for, with its nonce (core.tokens.token_from_nonce).
INVITATION_TOKEN_PURPOSE = "advisor-invitation"  # noqa: S105 - a label, not a secret


class AdvisorInvitation(models.Model):
    """A firm administrator's invitation for a person to join the firm as an advisor."""

    firm = models.ForeignKey(AdvisorFirm, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("メールアドレス"))
    name = models.CharField(_("氏名"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The link's token is rebuilt from this and the secret key (core.tokens.token_from_nonce).
    token_nonce = models.CharField(max_length=64, default="")
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Claimed by the task that sends the invitation email, so a task that runs twice sends once.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.firm_id}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class CourseProgress(models.Model):
    """One advisor's progress through the programme's advisor course (a given version of it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_progress"
    )
    programme = models.ForeignKey("programs.Programme", on_delete=models.CASCADE, related_name="+")
    course_version = models.PositiveIntegerField()
    modules_read = models.JSONField(default=list)
    passed_at = models.DateTimeField(null=True, blank=True)
    best_score_percent = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "course_version"], name="course_progress_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} course v{self.course_version}"


class CourseQuizAttempt(models.Model):
    progress = models.ForeignKey(CourseProgress, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField()
    score_percent = models.PositiveIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"attempt {self.pk}: {self.score_percent}%"


class RegistrationEmailKind(models.TextChoices):
    CONFIRMATION = "confirmation"
    ACCOUNT_EXISTS = "account_exists"


class RegistrationEmail(models.Model):
    """An email to someone who starts a registration: the link that confirms the registrant's
    address, or, for an address that already has an account, how to continue. One row per email
    to send: the task claims `sent_at`, so a task that runs twice sends once, while pressing the
    button again (a new row) sends again."""

    kind = models.CharField(max_length=20, choices=RegistrationEmailKind.choices)
    to = models.EmailField()
    # For the confirmation: the address to confirm and the registration to continue.
    email_address = models.ForeignKey(
        "account.EmailAddress", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    firm = models.ForeignKey(AdvisorFirm, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            status_constraint("kind", RegistrationEmailKind.values, "registration_email_kind_known"),
            models.CheckConstraint(
                condition=~Q(kind="confirmation") | Q(email_address__isnull=False, firm__isnull=False),
                name="registration_confirmation_has_address_and_firm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"
