"""Cancelling an award (the secretariat, from the staff application page) and the repayment
demands (/staff/awards/repayments/: finance records repayments; the secretariat and auditors read)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.applications.selectors import staff_application
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires

from .. import policies, selectors
from ..forms import CancelDecisionForm, RepaymentForm
from ..services import cancellation


@require_http_methods(["GET", "POST"])
@requires(policies.can_cancel_decision)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The cancellation form with the reason; the staff application page posts here too."""
    application = staff_application(request.user, pk)
    form = CancelDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation.cancel_decision(
                actor=user_of(request), application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("交付決定を取り消しました。申請者にメールで通知します。"))
            return redirect("staff_applications:detail", application.pk)
    context = {"application": application, "form": form}
    return render(request, "awards/cancellation/cancel.html", context, status=form_status(request))


@require_GET
@requires(policies.can_read_repayments)
def repayments(request: HttpRequest) -> HttpResponse:
    page = selectors.demand_page(request.user, request.GET.get("before"))
    context = {"page": page, "may_record": policies.can_record_repayment(request.user).allowed}
    return render(request, "awards/cancellation/repayments.html", context)


@require_http_methods(["GET", "POST"])
@requires(policies.can_record_repayment)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """One demand with its repayments and the form to record one (finance)."""
    demand = selectors.get_demand_for(request.user, pk)
    form = RepaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation.record_repayment(
                actor=user_of(request),
                demand=demand,
                amount_yen=form.cleaned_data["amount_yen"],
                paid_on=form.cleaned_data["paid_on"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if demand.settled_on:
                messages.success(request, _("返還を記録しました。返還請求は完済となりました。"))
            else:
                messages.success(request, _("返還を記録しました。"))
            return redirect("cancellation:repayments")
    context = {"row": selectors.demand_row(demand), "form": form}
    return render(request, "awards/cancellation/repayment.html", context, status=form_status(request))
