"""The yearly KPI reports of the verification (効果検証): one KpiYear per award and year (0 is the
baseline), each filing a KpiReport revision; the year's `current_report` is the last one filed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxgrant.applications.models import Application


class KpiYear(models.Model):
    """One year of an award's verification, opened when the results report is approved
    (services/kpi_reports.open_kpi_years): year 0 is the last full fiscal year before the grant."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="kpi_years")
    year = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    opened_at = models.DateTimeField(auto_now_add=True)
    # The growth of labour productivity the plan in force set for this year, in percent against
    # the plan's baseline (kpi.target_growth_percent); fixed when the year is opened, as the plan
    # can no longer change then. Empty for year 0 and for years the plan has no target for.
    target_growth_percent = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    # The last revision filed (the one that counts); empty until the first filing.
    current_report = models.OneToOneField(
        "KpiReport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("効果検証の年度")
        verbose_name_plural = _("効果検証の年度")
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="kpi_year_once"),
        ]
        indexes = [models.Index(fields=["due_on"], name="kpi_year_due")]

    def __str__(self) -> str:
        return f"{self.application_id} KPI {self.year}"


class KpiReport(models.Model):
    """One filing of a KPI year's figures: kept as filed; a correction is the next revision."""

    kpi_year = models.ForeignKey(KpiYear, on_delete=models.PROTECT, related_name="reports")
    revision = models.PositiveIntegerField()
    sales_yen = models.BigIntegerField()
    operating_profit_yen = models.BigIntegerField()
    personnel_costs_yen = models.BigIntegerField()
    depreciation_yen = models.BigIntegerField()
    employees = models.DecimalField(max_digits=6, decimal_places=1)
    # Computed when filed (reporting/kpi.py), so the cohort page reads figures, not formulas.
    value_added_yen = models.BigIntegerField()
    labour_productivity_yen = models.BigIntegerField()
    # The plan's own KPIs, in the plan's order: [{"name": ..., "unit": ..., "value": "4.5"}].
    free_values = models.JSONField(default=list, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    # The form's one-time token: a double-clicked filing finds its report.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("効果検証の報告")
        verbose_name_plural = _("効果検証の報告")
        ordering = ["kpi_year", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["kpi_year", "revision"], name="kpi_report_revision_once"),
            models.CheckConstraint(
                condition=Q(sales_yen__gte=0, personnel_costs_yen__gte=0, depreciation_yen__gte=0),
                name="kpi_report_amounts_not_negative",
            ),
            models.CheckConstraint(condition=Q(employees__gt=0), name="kpi_report_employees_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_year} r{self.revision}"
