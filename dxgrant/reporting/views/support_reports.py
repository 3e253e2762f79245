"""The monthly support reports: an award's months (everyone who may see the application), the
advisor's form, a report with the applicant's answer, and the secretariat's list of awards with
reports missing or disputed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.applications.models import Application
from dxgrant.applications.policies import get_application_for, side_of
from dxgrant.applications.views.common import user_of
from dxgrant.core.editing import (
    EditConflict,
    autosave_status,
    error_lines,
    is_autosave,
    posted_revision,
    refusal_status,
)
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires
from dxgrant.core.pagination import keyset_page

from .. import plans, support_policies, support_selectors
from ..services import support_reports as service
from ..support_forms import DisputeForm, SupportReportForm
from ..support_models import SupportReport, SupportReportStatus
from ..support_rules import MilestoneStatus

AUTOSAVE_STATUS = "reporting/support/_autosave_status.html"
_AWARD = Application.objects.select_related("round", "acceptance", "engagement")


def _award(request: HttpRequest, pk: int) -> Application:
    return get_application_for(request.user, pk, queryset=_AWARD)


@login_required
def months(request: HttpRequest, pk: int) -> HttpResponse:
    application = _award(request, pk)
    side = side_of(request.user, application)
    reports = list(SupportReport.objects.filter(application=application).order_by("month", "pk"))
    today = timezone.localdate()
    context = {
        "application": application,
        "rows": support_policies.month_rows(application, reports, today),
        "history": [r for r in reports if r.status == SupportReportStatus.SUPERSEDED],
        "may_write": support_policies.can_write_report(request.user, application, side),
    }
    return render(request, "reporting/support/months.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    application = _award(request, pk)
    try:
        first = dt.date(year, month, 1)
    except ValueError as exc:
        raise Http404("month") from exc
    support_policies.can_write_report(request.user, application).require()
    plan = plans.current_plan(application)
    conflict: SupportReport | None = None
    draft = SupportReport.objects.filter(
        application=application, month=first, status=SupportReportStatus.DRAFT
    ).first()
    disputed = SupportReport.objects.filter(
        application=application, month=first, status=SupportReportStatus.DISPUTED
    ).first()
    form = SupportReportForm(
        request.POST or None, milestones=plan.milestones, initial=_initial(draft or disputed)
    )
    autosave = is_autosave(request)
    revision = draft.revision if draft else 0
    status = 200
    if request.method == "POST":
        revision = posted_revision(request)
        status = 400
        if form.is_valid():
            user = user_of(request)
            content = form.content()
            try:
                if "file" in request.POST and not autosave:
                    report = service.file_report(
                        actor=user,
                        application=application,
                        month=first,
                        content=content,
                        token=form.cleaned_data["token"],
                        expected_revision=revision,
                    )
                    messages.success(request, _("月次支援報告を提出しました。申請者に通知しました。"))
                    return redirect("support_reports:detail", pk=pk, report_pk=report.pk)
                saved = service.save_draft(
                    actor=user,
                    application=application,
                    month=first,
                    content=content,
                    expected_revision=revision,
                )
            except EditConflict as exc:
                if autosave:
                    return autosave_status(request, AUTOSAVE_STATUS, conflict=True)
                form.add_error(None, exc.messages[0])
                # The other save is shown; a deliberate second save may replace it.
                conflict = exc.current
                revision = exc.current_revision if exc.current_revision is not None else revision
                status = refusal_status(exc)
            except ValidationError as exc:
                add_errors(form, exc)
                if autosave:
                    return autosave_status(request, AUTOSAVE_STATUS, invalid=True, errors=error_lines(form))
            else:
                if autosave:
                    return autosave_status(request, AUTOSAVE_STATUS, revision=saved.revision)
                messages.success(request, _("下書きを保存しました。"))
                return redirect("support_reports:months", pk=pk)
        elif autosave:
            return autosave_status(request, AUTOSAVE_STATUS, invalid=True, errors=error_lines(form))
    context = {
        "application": application,
        "month": first,
        "form": form,
        "milestones": [(m, form[f"status_{i}"], form[f"comment_{i}"]) for i, m in enumerate(plan.milestones)],
        "disputed": disputed,
        "revision": revision,
        "conflict": conflict,
        "conflict_progress": [
            row | {"label": _status_label(row.get("status", ""))} for row in conflict.progress
        ]
        if conflict
        else [],
    }
    return render(request, "reporting/support/edit.html", context, status=status)


def _initial(report: SupportReport | None) -> dict[str, object]:
    if report is None:
        return {}
    initial: dict[str, object] = {
        "activities": report.activities,
        "problems": report.problems,
        "next_steps": report.next_steps,
    }
    for index, row in enumerate(report.progress):
        initial[f"status_{index}"] = row.get("status", "")
        initial[f"comment_{index}"] = row.get("comment", "")
    return initial


def _report(request: HttpRequest, pk: int, report_pk: int) -> SupportReport:
    application = _award(request, pk)
    report = (
        SupportReport.objects.select_related("filed_by", "responded_by", "corrects")
        .filter(application=application, pk=report_pk)
        .exclude(status=SupportReportStatus.DRAFT)
        .first()
    )
    if report is None:
        raise Http404("support report")
    report.application = application
    return report


@login_required
def detail(
    request: HttpRequest, pk: int, report_pk: int, dispute_form: DisputeForm | None = None
) -> HttpResponse:
    report = _report(request, pk, report_pk)
    return _render_detail(request, report, dispute_form or DisputeForm())


def _render_detail(request: HttpRequest, report: SupportReport, dispute_form: DisputeForm) -> HttpResponse:
    application = report.application
    side = side_of(request.user, application)
    context = {
        "application": application,
        "report": report,
        "progress": [row | {"label": _status_label(row.get("status", ""))} for row in report.progress],
        "may_respond": support_policies.can_respond(request.user, application, side),
        "may_write": support_policies.can_write_report(request.user, application, side),
        "awaiting": report.status == SupportReportStatus.FILED,
        "dispute_form": dispute_form,
    }
    return render(request, "reporting/support/detail.html", context, status=form_status(request))


def _status_label(status: str) -> str:
    return str(MilestoneStatus(status).label) if status in MilestoneStatus.values else "—"


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk)
    try:
        service.acknowledge_report(actor=user_of(request), report=report)
    except ValidationError as exc:
        form = DisputeForm()
        add_errors(form, exc)
        return _render_detail(request, report, form)
    messages.success(request, _("報告の内容を確認しました。"))
    return redirect("support_reports:detail", pk=pk, report_pk=report_pk)


@login_required
@require_POST
def dispute(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            service.dispute_report(
                actor=user_of(request), report=report, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("異議を申し立てました。アドバイザーに通知しました。"))
            return redirect("support_reports:detail", pk=pk, report_pk=report_pk)
    return _render_detail(request, report, form)


@requires(can_read_as_staff)
def staff_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = support_selectors.StaffFilters.of(request.GET)
    page = keyset_page(
        support_selectors.awards_needing_attention(filters, today),
        cursor=request.GET.get("before"),
        size=50,
        rows=lambda awards: support_selectors.attention_rows(awards, today),
    )
    context = {"page": page, "filters": filters, "rounds": support_selectors.rounds_with_awards()}
    return render(request, "reporting/support/staff_list.html", context)
