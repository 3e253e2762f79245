"""The records that follow a decision (notices, acceptance, payee accounts, payments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --- notices ---


class NoticeKind(models.TextChoices):
    AWARD = "award", _("交付決定通知書")
    REJECTION = "rejection", _("不採択通知書")


class NoticeStatus(models.TextChoices):
    VALID = "valid", _("有効")
    CANCELLED = "cancelled", _("取消し")


# Notice numbers: one series per calendar year of issue, e.g. DXN-2026-000123
# (`NOTICE_PREFIX`-year-six digits), taken with core.models.next_number.
NOTICE_PREFIX = "DXN"
NOTICE_SERIES = "notice-DXN"


def notice_upload_to(instance: Notice, filename: str) -> str:
    return f"notices/{instance.issued_on:%Y}/{instance.number}.pdf"


class Notice(models.Model):
    """The signed notice of one decision (交付決定通知書 or 不採択通知書), as issued.

    The PDF is kept privately (storage, served only through views that check access) with the
    SHA-256 of its exact bytes: anyone may check a copy against it (/verify/notice/<number>).
    What is printed (company name, 法人番号, amount) is kept as printed."""

    number = models.CharField(_("通知書番号"), max_length=30, unique=True)
    kind = models.CharField(_("種類"), max_length=20, choices=NoticeKind.choices)
    decision = models.OneToOneField("decisions.Decision", on_delete=models.PROTECT, related_name="notice")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="notices"
    )
    issued_on = models.DateField(_("通知日"))
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_yen = models.PositiveBigIntegerField(_("交付決定額"))
    company_name = models.CharField(_("会社名・屋号"), max_length=200)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    pdf = models.FileField(upload_to=notice_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.VALID
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("取消しの理由"), max_length=2000, blank=True)
    # Claim column of the email telling the applicant and the advisor (core.notify).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知書")
        verbose_name_plural = _("通知書")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_known"),
            models.CheckConstraint(condition=Q(status__in=NoticeStatus.values), name="notice_status_known"),
            models.CheckConstraint(
                condition=Q(kind=NoticeKind.AWARD) | Q(amount_yen=0), name="notice_amount_only_if_award"
            ),
            models.CheckConstraint(
                condition=(Q(status=NoticeStatus.VALID) & Q(cancelled_at__isnull=True))
                | (Q(status=NoticeStatus.CANCELLED) & Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="notice_cancelled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class NoticeRun(models.Model):
    """One press of "issue the notices" for a round: the background job's record. Progress is
    counted from the notices themselves (issued / the round's decisions)."""

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="notice_runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    issued = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("通知書の発行")
        verbose_name_plural = _("通知書の発行")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"notices of {self.round_id} ({self.pk})"


# --- end notices ---
