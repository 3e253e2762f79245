"""The lists after the grant (issue 12): monthly support reports missing or disputed, plan change
requests, results reports, and the KPI years (one row per company and year)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.applications.models import Application
from dxgrant.core.i18n import localised
from dxgrant.reporting import plan_policies, results_policies, support_selectors
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.plan_models import PlanChangeStatus
from dxgrant.reporting.results_models import LIFECYCLE as RESULTS_LIFECYCLE

from .columns import Column, ListExport, Params, email_of, in_chunks

MONTHS_SEPARATOR = "、"


def _lead_advisor(application: Any) -> str:
    engagement = getattr(application, "engagement", None)  # none yet: RelatedObjectDoesNotExist
    advisor = getattr(engagement, "lead_advisor", None)
    return str(advisor) if advisor is not None else ""


# --- monthly support reports missing or disputed (/staff/support-reports/) ---


def _support_awards(user: Visitor, params: Params) -> QuerySet[Any]:
    if not can_read_as_staff(user):
        return Application.objects.none()
    filters = support_selectors.StaffFilters.of(params)
    return support_selectors.awards_needing_attention(filters, timezone.localdate()).order_by("-pk")


def _attention_rows(awards: list[Any]) -> Iterable[support_selectors.AttentionRow]:
    return support_selectors.attention_rows(awards, timezone.localdate())


SUPPORT_REPORTS = ListExport(
    code="support-reports",
    title=_lazy("月次支援報告の未提出・異議"),
    list_url="support_reports:staff_list",
    policy=can_read_as_staff,
    queryset=_support_awards,
    present=in_chunks(_attention_rows),
    columns=(
        Column(_lazy("受付番号"), lambda r: r.application.receipt_number or ""),
        Column(_lazy("会社名・屋号"), lambda r: r.application.company_name),
        Column(_lazy("公募回"), lambda r: localised(r.application.round, "name")),
        Column(_lazy("アドバイザー"), lambda r: _lead_advisor(r.application)),
        Column(
            _lazy("未提出の月（期限超過）"),
            lambda r: MONTHS_SEPARATOR.join(m.strftime("%Y-%m") for m in r.overdue),
        ),
        Column(
            _lazy("異議のある報告"),
            lambda r: MONTHS_SEPARATOR.join(s.month.strftime("%Y-%m") for s in r.disputed),
        ),
    ),
)


# --- plan change requests (/staff/plan-changes/) ---


def _plan_changes(user: Visitor, params: Params) -> QuerySet[Any]:
    """As the queue: open requests by default (oldest first), `status=all` for every one."""
    status = params.get("status", PlanChangeStatus.OPEN)
    changes = plan_policies.plan_changes_visible_to(user).select_related(
        "application__round", "requested_by", "decided_by"
    )
    if params.get("round"):
        changes = changes.filter(application__round__code=params["round"])
    if status in PlanChangeStatus.values:
        changes = changes.filter(status=status)
    return changes.order_by("pk" if status == PlanChangeStatus.OPEN else "-pk")


PLAN_CHANGES = ListExport(
    code="plan-changes",
    title=_lazy("計画変更の申請"),
    list_url="plans:staff_list",
    policy=plan_policies.can_read_plan_changes,
    queryset=_plan_changes,
    columns=(
        Column(_lazy("受付番号"), lambda c: c.application.receipt_number or ""),
        Column(_lazy("会社名・屋号"), lambda c: c.application.company_name),
        Column(_lazy("公募回"), lambda c: localised(c.application.round, "name")),
        Column(_lazy("申請日時"), lambda c: c.requested_at),
        Column(_lazy("申請者"), lambda c: email_of(c.requested_by)),
        Column(_lazy("状態"), lambda c: c.get_status_display()),
        Column(_lazy("変更の理由"), lambda c: c.reasons),
        Column(_lazy("決定日時"), lambda c: c.decided_at),
        Column(_lazy("決定者"), lambda c: email_of(c.decided_by)),
        Column(_lazy("決定の理由"), lambda c: c.decision_reason),
    ),
)


# --- results reports (/staff/results-reports/) ---


def _results_reports(user: Visitor, params: Params) -> QuerySet[Any]:
    reports = results_policies.reports_visible_to(user).select_related("application__round")
    round_id = params.get("round", "")
    if round_id.isdigit():
        reports = reports.filter(application__round_id=int(round_id))
    if params.get("status", "") in RESULTS_LIFECYCLE.states:
        reports = reports.filter(status=params["status"])
    return reports.order_by("-pk")


RESULTS_REPORTS = ListExport(
    code="results-reports",
    title=_lazy("実績報告の一覧"),
    list_url="results_report:staff_list",
    policy=can_read_as_staff,
    queryset=_results_reports,
    columns=(
        Column(_lazy("受付番号"), lambda r: r.application.receipt_number or ""),
        Column(_lazy("会社名・屋号"), lambda r: r.application.company_name),
        Column(_lazy("公募回"), lambda r: localised(r.application.round, "name")),
        Column(_lazy("状態"), lambda r: str(RESULTS_LIFECYCLE.label(r.status))),
        Column(_lazy("提出期限"), lambda r: r.due_on),
        Column(_lazy("確認日時"), lambda r: r.confirmed_at),
        Column(_lazy("審査日時"), lambda r: r.reviewed_at),
        Column(_lazy("補助対象の実績額（円）"), lambda r: r.eligible_actual_yen),
    ),
)


# --- KPI years (/staff/kpi/): one row per company and year ---


def _kpi_years(user: Visitor, params: Params) -> QuerySet[Any]:
    if not can_read_as_staff(user):
        return KpiYear.objects.none()
    years = KpiYear.objects.select_related("application__round", "current_report")
    round_code = params.get("round", "")
    if round_code:
        years = years.filter(application__round__code=round_code)
    return years.order_by("application_id", "year")


def _filed(year: KpiYear) -> str:
    if year.current_report_id is not None:
        return _("提出済み")
    return _("期限超過") if year.due_on < timezone.localdate() else _("未提出")


def _report_value(name: str) -> Any:
    return lambda y: getattr(y.current_report, name) if y.current_report_id is not None else None


KPI_YEARS = ListExport(
    code="kpi-years",
    title=_lazy("効果検証（会社・年度別）"),
    list_url="kpi:cohort",
    # The cohort page shows finance the figures in aggregate; the file names each company, so
    # only the staff who read every application (the secretariat and auditors) may take it.
    policy=can_read_as_staff,
    queryset=_kpi_years,
    columns=(
        Column(_lazy("受付番号"), lambda y: y.application.receipt_number or ""),
        Column(_lazy("会社名・屋号"), lambda y: y.application.company_name),
        Column(_lazy("公募回"), lambda y: localised(y.application.round, "name")),
        Column(_lazy("年度"), lambda y: y.year),
        Column(_lazy("提出期限"), lambda y: y.due_on),
        Column(_lazy("提出状況"), _filed),
        Column(_lazy("売上高（円）"), _report_value("sales_yen")),
        Column(_lazy("営業利益（円）"), _report_value("operating_profit_yen")),
        Column(_lazy("人件費（円）"), _report_value("personnel_costs_yen")),
        Column(_lazy("減価償却費（円）"), _report_value("depreciation_yen")),
        Column(_lazy("従業員数"), _report_value("employees")),
        Column(_lazy("付加価値額（円）"), _report_value("value_added_yen")),
        Column(_lazy("労働生産性（円）"), _report_value("labour_productivity_yen")),
        Column(_lazy("労働生産性の目標伸び率（％）"), lambda y: y.target_growth_percent),
    ),
)
