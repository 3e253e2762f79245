"""The KPI verification pages (効果検証): the company's years and trend (/applications/<pk>/kpi/),
the applicant's filing of a year (/applications/<pk>/kpi/<year>/) and the secretariat's cohort
(/staff/kpi/)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.applications.selectors import application_page
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires

from .. import dashboard as figures
from .. import kpi, kpi_policies, kpi_selectors
from ..charts import Bar, Series, bar_chart, line_chart
from ..kpi_forms import KpiReportForm
from ..kpi_models import KpiYear
from ..services import kpi_reports
from .dashboard import RoundFilter


def year_label(year: int) -> str:
    return _("基準年") if year == 0 else _("%(n)s年目") % {"n": year}


def _yen_per_person(value: int) -> str:
    return _("%(n)s円/人") % {"n": f"{value:,}"}


def trend_chart(rows: list[kpi_selectors.YearRow]) -> SafeString:
    """Labour productivity filed each year, and the plan's target in yen (the baseline grown by
    the year's target growth)."""
    baseline = rows[0].report if rows and rows[0].year == 0 else None
    actual = tuple(r.report.labour_productivity_yen if r.report else None for r in rows)
    target: list[int | None] = []
    for r in rows:
        if baseline is None or (r.year and r.target is None):
            target.append(None)
        else:
            growth = (r.target or Decimal(0)) / kpi.HUNDRED + 1
            target.append(int((Decimal(baseline.labour_productivity_yen) * growth).quantize(kpi.ONE)))
    title = _("労働生産性の推移（付加価値額÷従業員数）")
    return line_chart(
        [year_label(r.year) for r in rows],
        [Series(_("実績"), actual), Series(_("計画の目標"), tuple(target))],
        title=title,
        empty_message=_("報告はまだありません。"),
        shown=_yen_per_person,
        key="kpi-trend",
    )


@login_required
@require_GET
def company(request: HttpRequest, pk: int) -> HttpResponse:
    """One award's KPI years: each year's figures against the baseline and the plan's target,
    the trend as a chart with its numbers in the table. Everyone who may see the application."""
    page = application_page(request.user, pk)
    application = page.application
    plan = kpi_reports.plan_of(application)
    rows = kpi_selectors.company_years(application, kpi_reports.free_kpis(plan))
    may = kpi_policies.can_file_kpi_report(request.user, application, page.side)
    context = {
        "application": application,
        "rows": [(row, year_label(row.year)) for row in rows],
        "chart": trend_chart(rows) if rows else None,
        "may": may,
        "state": kpi_policies.kpi_state(application),
    }
    return render(request, "reporting/kpi/company.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def file_year(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The applicant files (or corrects) a year's figures. Anyone else is refused (403)."""
    page = application_page(request.user, pk)
    application = page.application
    kpi_policies.can_file_kpi_report(request.user, application, page.side).require()
    kpi_year = (
        KpiYear.objects.filter(application=application, year=year).select_related("current_report").first()
    )
    if kpi_year is None:
        raise Http404
    rows = kpi_reports.free_kpis(kpi_reports.plan_of(application))
    current = kpi_year.current_report
    initial = {}
    if current is not None:
        initial = {
            "sales_yen": current.sales_yen,
            "operating_profit_yen": current.operating_profit_yen,
            "personnel_costs_yen": current.personnel_costs_yen,
            "depreciation_yen": current.depreciation_yen,
            "employees": current.employees,
        } | {f"free_{i}": entry.get("value") for i, entry in enumerate(current.free_values)}
    form = KpiReportForm(request.POST or None, free_rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = kpi_reports.file_kpi_report(
                actor=user_of(request),
                kpi_year=kpi_year,
                filing=form.filing(),
                submission_token=form.cleaned_data.get("submission_token"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(year)sの報告を受け付けました（第%(revision)s版）。")
                % {"year": year_label(year), "revision": report.revision},
            )
            return redirect("kpi:company", pk=pk)
    context = {
        "application": application,
        "kpi_year": kpi_year,
        "year_label": year_label(year),
        "form": form,
        "current": current,
        "state": kpi_policies.kpi_state(application),
    }
    return render(request, "reporting/kpi/file.html", context, status=form_status(request))


@dataclass(frozen=True)
class CohortView:
    year: kpi_selectors.CohortYear
    label: str
    chart: SafeString
    bins: list[tuple[str, int]]


def _cohort_view(year: kpi_selectors.CohortYear) -> CohortView:
    label = year_label(year.year)
    counts = kpi.histogram(year.figures.changes)
    bins = list(zip(kpi.bin_labels(), counts, strict=True))
    title = _("%(year)s：労働生産性の基準年比の分布") % {"year": label}
    chart = bar_chart(
        [Bar(name, count, _("%(n)s社") % {"n": count}) for name, count in bins],
        title=title,
        empty_message=_("基準年と比べられる報告はまだありません。"),
        key=f"kpi-year-{year.year}",
    )
    return CohortView(year, label, chart, bins)


@require_GET
@requires(kpi_policies.can_read_cohort)
def cohort(request: HttpRequest) -> HttpResponse:
    """The cohort by round: years filed and overdue, the share that met the target, the median
    change in labour productivity and its distribution (no company is named)."""
    rounds = figures.rounds()
    form = RoundFilter(request.GET if "round" in request.GET else None, rounds)
    chosen = form.chosen()
    years = kpi_selectors.cohort_years(chosen)
    context = {
        "form": form,
        "round": chosen,
        "years": [_cohort_view(y) for y in years if y.year],
        "baseline": next((y for y in years if y.year == 0), None),
    }
    return render(request, "reporting/kpi/cohort.html", context)
