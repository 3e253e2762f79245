"""The yearly KPI reports (効果検証): opening the years when the results report is approved, and
the applicant's filings (a correction is a new revision; the last one counts)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record

from .. import kpi, kpi_policies
from ..kpi_models import KpiReport, KpiYear
from ..plans import Plan, current_plan


@transaction.atomic
def open_kpi_years(
    *, application: Application, approved_on: date, actor: User | None = None
) -> list[KpiYear]:
    """Open year 0 (the baseline: the last full fiscal year before the grant, filed by the
    company, due with year 1) and years 1..`round.rules.reporting.kpi_years`, year N due
    `kpi_report_due_months` months after the N-th anniversary of `approved_on`.

    Called by the approval of the results report (`actor` the secretariat member who approved
    it). Opening again returns the years already open and changes nothing.
    """
    existing = list(KpiYear.objects.filter(application=application).order_by("year"))
    if existing:
        return existing
    rules = application.round.rules.reporting
    plan = plan_of(application)
    row = (plan.kpis.get("labour_productivity") or {}) if plan else {}
    years = [
        KpiYear(
            application=application,
            year=n,
            due_on=kpi.due_on(approved_on, n, rules.kpi_report_due_months),
            target_growth_percent=kpi.target_growth_percent(row, n) if n else None,
        )
        for n in range(rules.kpi_years + 1)
    ]
    KpiYear.objects.bulk_create(years)
    audit_record(
        actor=actor,
        action="reporting.kpi_years_opened",
        obj=application,
        changes={
            "approved_on": approved_on.isoformat(),
            "due": {str(y.year): y.due_on.isoformat() for y in years},
            "plan_version": plan.version if plan else None,
        },
    )
    return list(KpiYear.objects.filter(application=application).order_by("year"))


def plan_of(application: Application) -> Plan | None:
    """The plan in force, or None for an application never filed (no targets to compare)."""
    try:
        return current_plan(application)
    except ValueError:
        return None


def free_kpis(plan: Plan | None) -> list[dict[str, object]]:
    """The plan's own KPIs (named rows), in the plan's order."""
    if plan is None:
        return []
    return [row for row in plan.kpis.get("free") or [] if str(row.get("name") or "").strip()]


@dataclass(frozen=True)
class Filing:
    figures: kpi.Figures
    # The value of each of the plan's own KPIs, in the plan's order (None: not entered).
    free_values: list[Decimal | None]


@transaction.atomic
def file_kpi_report(
    *, actor: User, kpi_year: KpiYear, filing: Filing, submission_token: uuid.UUID | None = None
) -> KpiReport:
    """The applicant files a year's figures, or corrects them (a new revision; the last counts).

    Callers: the applicant's people only (PermissionDenied for the advisor, staff, anyone else).
    Refused (ValidationError by field, nothing saved): a negative sales, personnel cost or
    depreciation; employees of 0 or less, or with more than one decimal; a missing value of one
    of the plan's own KPIs; an award no longer being carried out or verified (cancelled). The same
    `submission_token` twice returns the first report.
    """
    locked = KpiYear.objects.select_for_update().select_related("application__round").get(pk=kpi_year.pk)
    application = locked.application
    kpi_policies.can_file_kpi_report(actor, application).require()
    if submission_token is not None:
        done = KpiReport.objects.filter(submission_token=submission_token, kpi_year=locked).first()
        if done is not None:
            return done
    state = kpi_policies.kpi_state(application)
    if not state:
        raise ValidationError(str(state.reason))
    errors: dict[str, list[str]] = {
        field: [message] for field, message in kpi.problems(filing.figures).items()
    }
    rows = free_kpis(plan_of(application))
    for index, row in enumerate(rows):
        value = filing.free_values[index] if index < len(filing.free_values) else None
        if value is None:
            errors[f"free_{index}"] = [
                _("%(name)s：計画の独自の指標の値を数値で入力してください。") % {"name": row.get("name")}
            ]
    if errors:
        raise ValidationError(errors)
    previous = locked.current_report
    report = KpiReport(
        kpi_year=locked,
        revision=(previous.revision + 1) if previous else 1,
        sales_yen=filing.figures.sales_yen,
        operating_profit_yen=filing.figures.operating_profit_yen,
        personnel_costs_yen=filing.figures.personnel_costs_yen,
        depreciation_yen=filing.figures.depreciation_yen,
        employees=filing.figures.employees,
        value_added_yen=kpi.value_added(filing.figures),
        labour_productivity_yen=int(kpi.labour_productivity(filing.figures)),
        free_values=[
            {"name": row.get("name"), "unit": row.get("unit") or "", "value": str(filing.free_values[i])}
            for i, row in enumerate(rows)
        ],
        filed_by=actor,
        filed_at=timezone.now(),
        submission_token=submission_token,
    )
    report.full_clean(exclude=["kpi_year", "filed_by"])
    report.save()
    locked.current_report = report
    locked.save(update_fields=["current_report"])
    audit_record(
        actor=actor,
        action="reporting.kpi_corrected" if previous else "reporting.kpi_filed",
        obj=report,
        changes={
            "application": application.pk,
            "year": locked.year,
            "revision": report.revision,
            "value_added_yen": report.value_added_yen,
            "labour_productivity_yen": report.labour_productivity_yen,
            "employees": str(report.employees),
        },
    )
    return report
