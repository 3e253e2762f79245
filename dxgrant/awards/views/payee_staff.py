"""The secretariat's payee pages: changes of account after acceptance awaiting acknowledgement
(staff readers see the list; the secretariat acknowledges), and registering an account whose
holder is not the company, with the reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.applications.selectors import staff_application
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires

from .. import selectors
from ..forms import OverrideForm
from ..models import PayeeAccount
from ..services import payee


@require_GET
@requires(can_read_as_staff)
def changes(request: HttpRequest) -> HttpResponse:
    """Current accounts changed after acceptance, not yet acknowledged (oldest first)."""
    rows = list(selectors.changes_awaiting_acknowledgement())
    context = {"rows": rows, "may_acknowledge": can_act_as_secretariat(request.user).allowed}
    return render(request, "awards/staff/payee_changes.html", context)


@require_POST
@requires(can_act_as_secretariat)
def acknowledge(request: HttpRequest, account_pk: int) -> HttpResponse:
    account = get_object_or_404(PayeeAccount, pk=account_pk)
    try:
        payee.acknowledge_change(account=account, actor=user_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("口座の変更を確認しました。この口座に振り込めます。"))
    return redirect("payee:staff_changes")


@require_http_methods(["GET", "POST"])
@requires(can_act_as_secretariat)
def override(request: HttpRequest, pk: int) -> HttpResponse:
    """Register an account whose holder is not the company, with the reason (audited)."""
    application = staff_application(request.user, pk)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payee.register_with_override(
                application=application,
                actor=user_of(request),
                details=form.details(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("名義が一致しない口座を、理由を記録して登録しました。"))
            return redirect("payee:staff_override", pk=pk)
    context = {"application": application, "form": form, "current": selectors.current_payee(application)}
    return render(request, "awards/staff/payee_override.html", context, status=form_status(request))
