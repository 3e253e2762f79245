"""The review (交付審査): each round's reviewer pool, conflicts of interest, the assignments of
reviewers to applications (with the seed that drew them), and the reviewers' scores.

The rules (reviewers per application, the scale, thresholds, blind review, the terms) are round
data: `round.rules.review` (programs/schema.py). The arithmetic lives in pure modules:
`assignment.py`, `scoring.py`, `amount.py`, `ranking.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint
from dxgrant.core.tokens import token_from_nonce

from . import lifecycle


class ReviewerMembership(models.Model):
    """A reviewer in a round's pool. The secretariat adds them; they accept the round's
    confidentiality terms once before seeing any assignment."""

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="reviewer_pool")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_memberships"
    )
    # Where the reviewer works: compared with the advisor firm and the company for suggested conflicts.
    organisation = models.CharField(_("所属"), max_length=200, blank=True)
    organisation_corporate_number = models.CharField(_("所属先の法人番号"), max_length=13, blank=True)
    active = models.BooleanField(_("審査に参加"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # The terms as they were accepted (their text's SHA-256), and when.
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    terms_sha256 = models.CharField(max_length=64, blank=True)
    # Claim column of the invitation email (core.notify).
    invited_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("審査員")
        verbose_name_plural = _("審査員")
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="review_member_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} @ {self.round_id}"


INVITATION_LINK_PURPOSE = "reviewer-invitation"


class ReviewerInvitation(models.Model):
    """The secretariat's invitation of a person without an account to a round's reviewer pool.

    Accepting it creates the reviewer's account (password, then the second factor before any
    page) and the membership, with the organisation given here. Only the hash of the link's
    token is stored; the token is derived from the secret key and `token_nonce` (core.tokens),
    so the email task rebuilds the link from the id. Resending draws a new nonce: the old link
    stops working at once. A link works once, until `expires_at`, unless revoked."""

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="reviewer_invitations")
    email = models.EmailField(_("メールアドレス"))
    name = models.CharField(_("氏名"), max_length=100)
    organisation = models.CharField(_("所属"), max_length=200, blank=True)
    organisation_corporate_number = models.CharField(_("所属先の法人番号"), max_length=13, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_nonce = models.CharField(max_length=64)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    send_count = models.PositiveIntegerField(default=1)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Claim column of the invitation email (core.notify); cleared by each resend.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("審査員への招待")
        verbose_name_plural = _("審査員への招待")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="review_one_open_invitation_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="review_invitation_accepted_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.round_id}"

    def link_token(self) -> str:
        """The raw token of the current link (only the email task and tests need it)."""
        return token_from_nonce(INVITATION_LINK_PURPOSE, self.token_nonce)

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_usable(self) -> bool:
        return self.is_open and self.expires_at > timezone.now()


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("審査員の申告")
    SECRETARIAT = "secretariat", _("事務局の判断")


class ConflictExclusion(models.Model):
    """A reviewer kept off an application: declared by the reviewer or decided by the secretariat
    (with a reason). The assignment never puts them back."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="conflict_exclusions"
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=ConflictSource.choices)
    reason = models.TextField(_("理由"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("利益相反による除外")
        verbose_name_plural = _("利益相反による除外")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_exclusion_once"),
            models.CheckConstraint(
                condition=Q(source="declared") | ~Q(reason=""), name="review_exclusion_reason_by_hand"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ✕ {self.application_id}"


class AssignmentRun(models.Model):
    """One draw of reviewers for a round: the seed and the figures, so it can be repeated."""

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="assignment_runs")
    seed = models.BigIntegerField()
    per_application = models.PositiveSmallIntegerField()
    applications = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    # Applications that could not get enough reviewers (too many conflicts): their ids.
    short = models.JSONField(default=list, blank=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("審査員の割当て")
        verbose_name_plural = _("審査員の割当て")

    def __str__(self) -> str:
        return f"{self.round_id} seed {self.seed}"


class Assignment(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    status = models.CharField(
        _("状態"),
        max_length=30,
        choices=list(lifecycle.STATES.items()),
        default=lifecycle.AWAITING_DECLARATION,
        db_index=True,
    )
    # The draw that made it, or empty for a place filled by hand (audited).
    run = models.ForeignKey(AssignmentRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("採点期限"))
    declared_at = models.DateTimeField(null=True, blank=True)
    # Claim column of the "you have been assigned" email (core.notify).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("審査の担当")
        verbose_name_plural = _("審査の担当")
        constraints = [
            status_constraint("status", lifecycle.ASSIGNMENT, "review_assignment_status_known"),
            # One place per reviewer and application while it holds.
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                condition=Q(status__in=sorted(lifecycle.HOLDING)),
                name="review_assignment_once",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status", "due_on"], name="review_queue_idx")]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id} ({self.status})"


class Score(models.Model):
    """A reviewer's scores of one application: one integer per rubric criterion on the round's
    scale, a comment per criterion and an overall comment. Saved as a draft while the reviewer
    types (revision for conflicts); locked once submitted."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="score")
    # {criterion code: score}
    scores = models.JSONField(default=dict, blank=True)
    # {criterion code: comment}
    comments = models.JSONField(default=dict, blank=True)
    overall_comment = models.TextField(_("総評"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The last reopening by the secretariat (the full history is in the audit log).
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)
    # Claim column of the "your score was reopened" email (core.notify); cleared by each reopening.
    reopen_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("評点")
        verbose_name_plural = _("評点")

    def __str__(self) -> str:
        return f"score of {self.assignment_id}"
