"""Plan changes (計画変更) and the plan versions they make.

A `PlanChange` is the applicant's request: the budget lines' new eligible amounts and the
milestones as they would be, with the reasons; the secretariat approves or refuses it. Approval
stores a `PlanVersion` whole (budget lines, milestones, KPIs), numbered n+1 after the plan in
force; `reporting.plans.current_plan` returns the last one. One open request per award at a time
(a partial unique constraint)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint


class PlanChangeStatus(models.TextChoices):
    OPEN = "open", _("審査中")
    APPROVED = "approved", _("承認済み")
    REFUSED = "refused", _("不承認")


class PlanVersion(models.Model):
    """One approved plan, stored whole. Version 0 (the plan as decided) is the last filed
    application version and has no row here."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="plan_versions"
    )
    number = models.PositiveIntegerField(_("版"))
    budget_lines = models.JSONField(default=list)
    milestones = models.JSONField(default=list)
    kpis = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("計画の版")
        verbose_name_plural = _("計画の版")
        ordering = ["application_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="plan_version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:v{self.number}"


class PlanChange(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="plan_changes"
    )
    # The plan version the request was made against (0: the plan as decided).
    base_version = models.PositiveIntegerField(_("変更前の版"))
    # The plan's budget lines' new eligible amounts (税抜), in the plan's order.
    amounts = models.JSONField(default=list)
    # The milestones as they would be: [{"title", "due": "YYYY-MM-DD"}], in date order.
    milestones = models.JSONField(default=list)
    reasons = models.TextField(_("変更の理由"), max_length=4000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=PlanChangeStatus.choices, default=PlanChangeStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("決定の理由"), max_length=4000, blank=True)
    version = models.OneToOneField(
        PlanVersion, on_delete=models.PROTECT, related_name="change", null=True, blank=True
    )
    # Claim column of the email telling the applicant and the advisor of the decision (core.notify).
    decision_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("計画変更")
        verbose_name_plural = _("計画変更")
        ordering = ["-id"]
        constraints = [
            status_constraint("status", PlanChangeStatus.values, "plan_change_status_known"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(status="open"), name="plan_change_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False), name="plan_change_decided_at"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(version__isnull=False),
                name="plan_change_approved_version",
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="plan_change_queue")]

    def __str__(self) -> str:
        return f"{self.application_id}:change{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == PlanChangeStatus.OPEN
