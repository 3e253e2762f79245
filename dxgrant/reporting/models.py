"""Records of what follows the grant."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kpi_models import KpiReport, KpiYear  # noqa: F401
from .plan_models import PlanChange, PlanChangeStatus, PlanVersion  # noqa: F401
from .support_models import SupportReport  # noqa: F401


class ReminderSource(models.TextChoices):
    """What a reminder is about: each kind of due item has one source (`reporting/sources.py`)."""

    ACCEPTANCE = "acceptance", _("交付条件の受諾")
    PAYEE_ACCOUNT = "payee_account", _("振込先口座の登録")
    SURVEY = "survey", _("調査への回答")
    KPI_REPORT = "kpi_report", _("効果検証の報告")
    SUPPORT_REPORT = "support_report", _("月次支援報告")
    RESULTS_REPORT = "results_report", _("実績報告")


class ReminderAudience(models.TextChoices):
    APPLICANT = "applicant", _("申請者")
    ADVISOR = "advisor", _("アドバイザー")
    SECRETARIAT = "secretariat", _("事務局")


class Reminder(models.Model):
    """One step of the reminders of one due date (`reporting/reminders.py`), sent at most once.

    The row is made by the engine when the step falls due (unique per source, object, due date
    and step, so a repeated run makes no second row) and claimed by the task that sends it
    (`sent_at`, set in the transaction that sends: a failed send leaves it empty for a retry).
    A changed due date is a new due date, and its steps are new rows."""

    source = models.CharField(max_length=32, choices=ReminderSource.choices)
    # The id of the object the due item is about (an application, for acceptance and payee account).
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    step = models.CharField(max_length=32)
    audience = models.CharField(max_length=16, choices=ReminderAudience.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("督促")
        verbose_name_plural = _("督促")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "due_on", "step"], name="reminder_once_per_step"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["applicant", "advisor", "secretariat"]),
                name="reminder_audience_known",
            ),
        ]
        indexes = [models.Index(fields=["sent_at"], name="reminder_unsent")]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}:{self.due_on}:{self.step}"


class ProgrammeFigures(models.Model):
    """The dashboard's figures of one round ("" for every round), as counted at `counted_at`
    (reporting/services/figures.py). The page reads this one row, so it costs the same with
    200,000 applications as with 1,000; the count itself runs on the task worker once the row is
    older than DXGRANT_DASHBOARD_MAX_AGE_SECONDS. `recount_queued_at` is the claim that queues
    one recount at a time."""

    scope = models.CharField(max_length=50, unique=True)
    figures = models.JSONField()
    counted_at = models.DateTimeField()
    count_ms = models.PositiveIntegerField(default=0)
    recount_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ダッシュボードの集計")
        verbose_name_plural = _("ダッシュボードの集計")

    def __str__(self) -> str:
        return self.scope or "*"


from .results_models import ResultsEvidence, ResultsLine, ResultsReport  # noqa: E402, F401


class ReminderRun(models.Model):
    """One day's run of the reminder engine on the task worker (reporting/schedule.py).

    The row for a day is made when that day's run is scheduled (`scheduled_for`, the task's
    `run_after`; `task_id`, its task) and claimed by the run that does it (`started_at`, set by a
    conditional UPDATE): a second chain, a task queued again at a restart, or two workers find the
    day claimed and run nothing. A day whose task never ran (the worker was down) keeps an empty
    `started_at`; the next run catches up, the engine sending what is due by then."""

    run_on = models.DateField(unique=True)
    scheduled_for = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    open_items = models.PositiveIntegerField(default=0)
    new_steps = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("督促の定時実行")
        verbose_name_plural = _("督促の定時実行")
        ordering = ["run_on"]

    def __str__(self) -> str:
        return self.run_on.isoformat()
