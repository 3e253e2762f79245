"""Plan changes: the applicant's and advisor's plan page and request form (under
/applications/<pk>/plan-changes/), the secretariat's queue and decision (under /staff/plan-changes/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.applications.selectors import application_page
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires
from dxgrant.programs.models import Round

from .. import plan_policies as policies
from .. import plan_selectors as selectors
from ..plan_forms import DecisionForm, PlanChangeForm
from ..plan_models import PlanChange, PlanChangeStatus
from ..plans import current_plan
from ..services import plan_changes as service


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan in force, every version with its difference from the one before, the requests."""
    page = application_page(request.user, pk)
    application = page.application
    versions, changes = selectors.plan_history(application)
    context = {
        "application": application,
        "versions": versions,
        "changes": changes,
        "open_change": next((c for c in changes if c.is_open), None),
        "may_request": policies.can_request_plan_change(request.user, application, page.side),
        "state": policies.plan_change_state(application, timezone.localdate()),
    }
    return render(request, "reporting/plans/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the application sees the form; the applicant's people send it. A POST
    by anyone else (the advisor too): 403, nothing saved."""
    page = application_page(request.user, pk)
    application = page.application
    may = policies.can_request_plan_change(request.user, application, page.side)
    state = policies.plan_change_state(application, timezone.localdate())
    in_force = current_plan(application)
    form = PlanChangeForm(request.POST or None, plan=in_force)
    if request.method == "POST":
        may.require()
        if not state:
            raise PermissionDenied(state.reason)
        if form.is_valid():
            try:
                service.request_change(
                    actor=user_of(request),
                    application=application,
                    amounts=form.amounts(),
                    milestones=form.milestones(),
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("計画変更を申請しました。事務局の決定をお待ちください。"))
                return redirect("plans:plan", pk=pk)
    reporting = application.round.rules.reporting
    context = {
        "application": application,
        "plan": in_force,
        "form": form,
        "may": may,
        "state": state,
        "acting": may.allowed and state.allowed,
        "max_shift_percent": reporting.plan_change_max_shift_percent,
        "shift_limit_yen": in_force.eligible_total_yen * reporting.plan_change_max_shift_percent // 100,
    }
    return render(request, "reporting/plans/request.html", context, status=form_status(request))


@require_GET
@requires(policies.can_read_plan_changes)
def staff_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", PlanChangeStatus.OPEN)
    round_code = request.GET.get("round", "")
    page = selectors.queue(
        request.user, status=status, round_code=round_code, cursor=request.GET.get("after")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": PlanChangeStatus.choices,
        "round_code": round_code,
        "rounds": list(Round.objects.order_by("-application_opens")),
    }
    return render(request, "reporting/plans/staff_list.html", context)


@require_GET
@requires(policies.can_read_plan_changes)
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request against the plan in force, with the difference, and the decision form."""
    change = selectors.change_for_staff(request.user, pk)
    return _detail(request, change, DecisionForm())


def _detail(request: HttpRequest, change: PlanChange, form: DecisionForm, status: int = 200) -> HttpResponse:
    application = change.application
    in_force = current_plan(application)
    if change.is_open:
        shown = selectors.compare_plans(
            in_force, selectors.proposed_plan(in_force, change), application.round
        )
    else:
        shown = None
    context = {
        "change": change,
        "application": application,
        "plan": in_force,
        "comparison": shown,
        "form": form,
        "may_decide": policies.can_decide_plan_change(request.user).allowed and change.is_open,
    }
    return render(request, "reporting/plans/staff_detail.html", context, status=status)


@require_POST
@requires(policies.can_decide_plan_change)
def staff_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.change_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                service.approve_change(
                    actor=user_of(request), change=change, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("計画変更を承認しました。新しい計画の版を作成しました。"))
            else:
                service.refuse_change(
                    actor=user_of(request), change=change, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("計画変更を承認しないことを決定しました。"))
        except ValidationError as exc:
            if getattr(exc, "code", None) == "decided":
                # A second click: the first decided; show the request as it now is.
                messages.info(request, exc.messages[0])
                return redirect("plans:staff_detail", pk=pk)
            add_errors(form, exc)
        else:
            return redirect("plans:staff_detail", pk=pk)
    change.refresh_from_db()
    return _detail(request, change, form, status=400)
