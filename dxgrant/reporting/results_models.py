"""The results report (実績報告) of an award: its cost lines (the plan's budget lines), the
evidence per line, the KPIs reached so far and a narrative; the secretariat's review."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxgrant.applications.models import Application
from dxgrant.core.lifecycle import Lifecycle, status_constraint, transition

DRAFT = "draft"
READY = "ready"
CONFIRMED = "confirmed"
APPROVED = "approved"

APPLICANT = "applicant"
ADVISOR = "advisor"
SECRETARIAT = "secretariat"

LIFECYCLE = Lifecycle.of(
    "results_report",
    {
        DRAFT: _("作成中"),
        READY: _("確認待ち"),
        CONFIRMED: _("審査中"),
        APPROVED: _("承認済み"),
    },
    [
        # The advisor marks the draft ready; any edit by either side puts it back to draft.
        transition("mark_ready", [DRAFT], READY, [ADVISOR], _("確認依頼")),
        transition("edit", [READY], DRAFT, [APPLICANT, ADVISOR], _("編集")),
        # The applicant confirms with the step-up (the application goes paid/accepted → reporting).
        transition("confirm", [READY], CONFIRMED, [APPLICANT], _("確定")),
        transition("request_changes", [CONFIRMED], DRAFT, [SECRETARIAT], _("修正依頼")),
        transition("approve", [CONFIRMED], APPROVED, [SECRETARIAT], _("承認")),
    ],
)
EDITABLE = frozenset({DRAFT, READY})


class ResultsReport(models.Model):
    """One per award. `revision` grows with every save (core.editing: a stale save is refused)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="results_report")
    status = models.CharField(max_length=16, default=DRAFT)
    due_on = models.DateField(_("提出期限"))
    plan_version = models.PositiveIntegerField(default=0)
    kpis = models.JSONField(_("達成した指標"), default=dict, blank=True)
    narrative = models.TextField(_("事業の成果"), blank=True, max_length=8000)
    revision = models.PositiveIntegerField(default=0)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ready_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    step_up = models.ForeignKey(
        "accounts.StepUpAttempt", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    eligible_actual_yen = models.PositiveBigIntegerField(null=True, blank=True)
    # core.notify claims: the review's email, one per review (cleared when a new review is made).
    review_emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("実績報告")
        verbose_name_plural = _("実績報告")
        constraints = [status_constraint("status", LIFECYCLE, "results_report_status_known")]
        indexes = [models.Index(fields=["status", "id"], name="results_report_status")]

    def __str__(self) -> str:
        return f"results report {self.application_id}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class ResultsLine(models.Model):
    """A budget line of the plan in force, with what it actually cost and who was paid."""

    report = models.ForeignKey(ResultsReport, on_delete=models.CASCADE, related_name="lines")
    # The line's position in the plan's budget lines.
    index = models.PositiveIntegerField()
    item = models.CharField(_("品目"), max_length=200)
    planned_eligible_yen = models.PositiveBigIntegerField(_("計画の補助対象経費（税抜）"))
    actual_yen = models.PositiveBigIntegerField(_("実績額（税抜）"), null=True, blank=True)
    vendor_name = models.CharField(_("支払先"), max_length=200, blank=True)
    vendor_corporate_number = models.CharField(_("支払先の法人番号"), max_length=13, blank=True)
    # The secretariat's comment when it requested changes (kept until the next review).
    review_comment = models.TextField(_("事務局のコメント"), blank=True, max_length=2000)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["report", "index"], name="results_line_once")]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.index} {self.item}"


class ResultsEvidence(models.Model):
    """A file proving a line's cost (quotation, order, ... by `round.rules.reporting.evidence`);
    private, served only through a permission check."""

    line = models.ForeignKey(ResultsLine, on_delete=models.CASCADE, related_name="evidence")
    kind = models.SlugField(_("書類の種類"), max_length=50)
    dated_on = models.DateField(_("日付"), null=True, blank=True)
    file = models.FileField(upload_to="results/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # In the order the dates must follow (quotation → … → payment); undated photos last.
        ordering = [models.F("dated_on").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.original_name


def results_due_on(application: Application) -> dt.date:
    """`results_report_due_days` after the round's programme period end."""
    rnd = application.round
    return rnd.programme_period_ends + dt.timedelta(days=rnd.rules.reporting.results_report_due_days)
