"""The advisor's monthly support report (月次支援報告) and its lifecycle.

A report is written as a draft (one per award and month), then filed; a filed report is never
edited. The applicant acknowledges it or disputes it with a comment. A disputed report may be
corrected: the advisor files a new report for the same month, which supersedes it. At most one
standing report (filed, acknowledged or disputed) per award and month, held by the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import Lifecycle, status_constraint, transition


class SupportReportStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    FILED = "filed", _("提出済み（確認待ち）")
    ACKNOWLEDGED = "acknowledged", _("確認済み")
    DISPUTED = "disputed", _("異議あり")
    SUPERSEDED = "superseded", _("訂正済み")


S = SupportReportStatus
APPLICANT = "applicant"
ADVISOR = "advisor"
# A report that stands for its month (the month is not missing while one exists).
STANDING = frozenset({S.FILED.value, S.ACKNOWLEDGED.value, S.DISPUTED.value})

SUPPORT_REPORT = Lifecycle.of(
    "support_report",
    {status.value: status.label for status in SupportReportStatus},
    [
        transition("file", [S.DRAFT], S.FILED, [ADVISOR], _("提出する")),
        transition("acknowledge", [S.FILED], S.ACKNOWLEDGED, [APPLICANT], _("内容を確認する")),
        transition("dispute", [S.FILED], S.DISPUTED, [APPLICANT], _("異議を申し立てる")),
        # Filing a correction for the month supersedes the disputed report.
        transition("supersede", [S.DISPUTED], S.SUPERSEDED, [ADVISOR], _("訂正版で置き換える")),
    ],
)


class SupportReport(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="support_reports"
    )
    # The month reported on, named by its first day.
    month = models.DateField(_("対象月"))
    status = models.CharField(max_length=16, choices=SupportReportStatus.choices, default=S.DRAFT)
    activities = models.TextField(_("支援内容"), blank=True)
    # [{"title", "due", "status" (support_rules.MilestoneStatus), "comment"}], one per milestone of
    # the plan in force (reporting.plans.current_plan) when the report was written.
    progress = models.JSONField(_("マイルストーンの進捗"), default=list, blank=True)
    problems = models.TextField(_("課題"), blank=True)
    next_steps = models.TextField(_("次月の予定"), blank=True)
    plan_version = models.PositiveIntegerField(default=0)
    # Grows with every save of the draft (core.editing: a save from an older one is refused).
    revision = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The file form's one-time token: a double click finds the report it filed.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    dispute_comment = models.TextField(_("異議の内容"), blank=True)
    # The disputed report this one corrects.
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="corrected_by", null=True, blank=True
    )
    # Email claims (core.notify): the applicant told of the filing, the advisor of the dispute.
    filed_emailed_at = models.DateTimeField(null=True, blank=True)
    disputed_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("月次支援報告")
        verbose_name_plural = _("月次支援報告")
        ordering = ["application", "month", "id"]
        constraints = [
            status_constraint("status", SUPPORT_REPORT, "support_report_status_known"),
            models.UniqueConstraint(
                fields=["application", "month"],
                condition=Q(status="draft"),
                name="support_report_one_draft_per_month",
            ),
            models.UniqueConstraint(
                fields=["application", "month"],
                condition=Q(status__in=sorted(STANDING)),
                name="support_report_one_standing_per_month",
            ),
            models.CheckConstraint(
                condition=~Q(status="disputed") | ~Q(dispute_comment=""),
                name="support_report_dispute_says_why",
            ),
        ]
        indexes = [models.Index(fields=["status", "application"], name="support_report_status_app")]

    def __str__(self) -> str:
        return f"support report {self.application_id} {self.month:%Y-%m} ({self.status})"
