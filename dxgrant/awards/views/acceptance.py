"""Acceptance of the conditions of the grant (交付条件の受諾): the conditions, the period, and
for the applicant a code from their authenticator app and the button."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.accounts.models import StepUpPurpose
from dxgrant.applications.selectors import application_page
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.integrity.middleware import client_ip

from .. import policies, selectors
from ..forms import AcceptForm
from ..models import Acceptance
from ..services import acceptance as service
from ..services import codes


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the application reads the conditions and the period; the applicant's
    people accept, in state notified, within the period. A POST by anyone else: 403."""
    page = application_page(request.user, pk)
    application = page.application
    may = policies.can_accept(request.user, application, page.side)
    state = policies.acceptance_state(application)
    form = AcceptForm(request.POST or None)
    if request.method == "POST":
        may.require()
        if not state:
            raise PermissionDenied(state.reason)
        user = user_of(request)
        if form.is_valid():
            check = codes.verify_code(
                user=user,
                code=form.cleaned_data["code"],
                application=application,
                purpose=StepUpPurpose.ACCEPTANCE,
                ip_address=client_ip(request),
            )
            if not check:
                form.add_error("code", check.refusal)
            else:
                try:
                    service.accept_conditions(application=application, actor=user, step_up=check.attempt)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, _("交付条件を受諾しました。"))
                    return redirect("applications:detail", pk=pk)
    period = selectors.acceptance_period(application)
    acting = may.allowed and state.allowed
    context = {
        "application": application,
        "conditions": application.round.rules.awards.conditions,
        "period": period,
        "accepted": Acceptance.objects.filter(application=application).select_related("accepted_by").first(),
        "form": form,
        "may": may,
        "state": state,
        "acting": acting,
        "needs_enrolment": acting
        and not Authenticator.objects.filter(user=request.user.pk, type=Authenticator.Type.TOTP).exists(),
        "enrol_url": reverse("mfa_activate_totp"),
    }
    return render(request, "awards/acceptance.html", context, status=form_status(request))
