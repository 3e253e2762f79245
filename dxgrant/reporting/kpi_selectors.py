"""Reads of the KPI verification (効果検証): one company's years as its page shows them, and the
cohort's figures by year (the staff page and the dashboard), each in one flat query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dxgrant.applications.models import Application
from dxgrant.programs.models import Round

from . import kpi
from .kpi_models import KpiReport, KpiYear


@dataclass(frozen=True)
class YearRow:
    """One year of one company: its figures (if filed) against the baseline and the target."""

    year: int
    due_on: dt.date
    report: KpiReport | None
    overdue: bool
    change: Decimal | None = None
    annual_growth: Decimal | None = None
    target: Decimal | None = None
    met: bool | None = None
    free: list[dict[str, Any]] = field(default_factory=list)


def company_years(
    application: Application, free_rows: list[dict[str, Any]], today: dt.date | None = None
) -> list[YearRow]:
    """The award's KPI years in order, each compared with year 0 and with the plan (one query)."""
    today = today or timezone.localdate()
    years = list(
        KpiYear.objects.filter(application=application).select_related("current_report").order_by("year")
    )
    baseline = next((y.current_report for y in years if y.year == 0), None)
    base_lp = Decimal(baseline.labour_productivity_yen) if baseline else None
    rows = []
    for year in years:
        report = year.current_report
        overdue = report is None and year.due_on < today
        if report is None or year.year == 0:
            rows.append(YearRow(year.year, year.due_on, report, overdue))
            continue
        lp = Decimal(report.labour_productivity_yen)
        change = kpi.change_percent(base_lp, lp) if base_lp is not None else None
        growth = kpi.annual_growth_percent(base_lp, lp, year.year) if base_lp is not None else None
        free = []
        for index, entry in enumerate(report.free_values):
            row = free_rows[index] if index < len(free_rows) else {}
            value = kpi.number(entry.get("value"))
            free.append(
                entry
                | {"target": row.get(f"year{year.year}"), "met": kpi.free_target_met(row, year.year, value)}
            )
        rows.append(
            YearRow(
                year.year,
                year.due_on,
                report,
                False,
                change,
                growth,
                year.target_growth_percent,
                kpi.met(change, year.target_growth_percent),
                free,
            )
        )
    return rows


@dataclass(frozen=True)
class CohortYear:
    """One KPI year across the cohort: how many years are open, filed and overdue, and the
    figures of the companies that filed it and their baseline."""

    year: int
    opened: int
    filed: int
    overdue: int
    figures: kpi.Cohort


def cohort_years(round_obj: Round | None = None, today: dt.date | None = None) -> list[CohortYear]:
    """Every KPI year of the awards of `round_obj` (every round when None), in one query: the
    years' due dates, targets and the labour productivity of their current reports."""
    today = today or timezone.localdate()
    found = KpiYear.objects.all()
    if round_obj is not None:
        found = found.filter(application__round=round_obj)
    rows = list(
        found.values_list(
            "application_id",
            "year",
            "due_on",
            "target_growth_percent",
            "current_report__labour_productivity_yen",
        )
    )
    baselines = {app: lp for app, year, _due, _target, lp in rows if year == 0 and lp is not None}
    by_year: dict[int, dict[str, Any]] = {}
    for app, year, due, target, lp in rows:
        entry = by_year.setdefault(year, {"opened": 0, "filed": 0, "overdue": 0, "results": []})
        entry["opened"] += 1
        if lp is None:
            entry["overdue"] += due < today
            continue
        entry["filed"] += 1
        base = baselines.get(app)
        if year and base is not None:
            change = kpi.change_percent(Decimal(base), Decimal(lp))
            entry["results"].append((change, kpi.met(change, target)))
    return [
        CohortYear(year, e["opened"], e["filed"], e["overdue"], kpi.cohort(e["results"]))
        for year, e in sorted(by_year.items())
    ]


def kpi_improvement(round_obj: Round | None = None) -> CohortYear | None:
    """For the dashboard's "KPI improvement across the cohort": the latest KPI year any company
    has filed against its baseline (share met, median change), or None when none has."""
    years = [y for y in cohort_years(round_obj) if y.year and y.figures.reported]
    return years[-1] if years else None
