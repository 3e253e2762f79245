"""The payee account page (振込先口座): the applicant registers or changes the account; the
advisor and staff see it read-only. Bank and branch suggestions for the form (htmx)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.accounts.models import StepUpPurpose
from dxgrant.applications.selectors import application_for_page, application_page
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.integrity.middleware import client_ip
from dxgrant.japan import banks

from .. import policies, selectors
from ..forms import ApplicantAccountForm, code_typed
from ..models import PayeeAccount
from ..services import codes, payee

SUGGESTIONS = 10


def _initial(account: PayeeAccount | None) -> dict[str, str]:
    if account is None:
        return {}
    return {
        "bank": f"{account.bank_code} {account.bank_name}",
        "branch": f"{account.branch_code} {account.branch_name}",
        "account_type": account.account_type,
    }


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest, pk: int) -> HttpResponse:
    """The account the grant is paid to. The applicant's people change it (with a code from
    their authenticator app once the conditions are accepted); everyone else who may see the
    application reads it, and a forged POST of theirs is refused (403)."""
    page = application_page(request.user, pk)
    application = page.application
    may = policies.can_register_payee(request.user, application, page.side)
    state = policies.payee_state(application)
    current = selectors.current_payee(application)
    needs_code = payee.needs_code(application, current)
    form = ApplicantAccountForm(request.POST or None, needs_code=needs_code, initial=_initial(current))
    if request.method == "POST":
        may.require()
        if not state:
            raise PermissionDenied(state.reason)
        user = user_of(request)
        if form.is_valid():
            step_up = None
            if needs_code:
                check = codes.verify_code(
                    user=user,
                    code=form.cleaned_data["code"],
                    application=application,
                    purpose=StepUpPurpose.PAYEE_CHANGE,
                    ip_address=client_ip(request),
                )
                if not check:
                    form.add_error("code", check.refusal)
                step_up = check.attempt
            if form.is_valid():
                try:
                    payee.register_payee(
                        application=application, actor=user, details=form.details(), step_up=step_up
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("振込先口座を変更しました。事務局が確認するまで、この口座への振込は行いません。")
                        if needs_code
                        else _("振込先口座を登録しました。"),
                    )
                    return redirect("payee:account", pk=pk)
    has_totp = (
        needs_code
        and may.allowed
        and Authenticator.objects.filter(user=request.user.pk, type=Authenticator.Type.TOTP).exists()
    )
    context = {
        "application": application,
        "current": current,
        "ready": selectors.payee_ready_for_payment(current) if current else False,
        "form": form,
        "may": may,
        "state": state,
        "needs_code": needs_code,
        "needs_enrolment": needs_code and may.allowed and not has_totp,
        "enrol_url": reverse("mfa_activate_totp"),
    }
    return render(request, "awards/payee.html", context, status=form_status(request))


@login_required
@require_GET
def suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """Options for the bank (?for=bank&bank=…) or branch (?for=branch&bank=…&branch=…) list:
    `<option>`s the page swaps into its datalist."""
    application_for_page(request.user, pk)
    bank_text = request.GET.get("bank", "")
    options: list[tuple[str, str]] = []
    if request.GET.get("for") == "branch":
        code = code_typed(bank_text, 4)
        found = [code] if code else [b.code for b in banks.search_banks(bank_text, limit=1)]
        if found and banks.get_bank(found[0]) is not None:
            branch_text = request.GET.get("branch", "")
            options = [
                (f"{b.code} {b.name}", b.kana)
                for b in banks.search_branches(found[0], branch_text, limit=SUGGESTIONS)
            ]
    else:
        options = [(f"{b.code} {b.name}", b.kana) for b in banks.search_banks(bank_text, limit=SUGGESTIONS)]
    return render(request, "awards/_options.html", {"options": options})
