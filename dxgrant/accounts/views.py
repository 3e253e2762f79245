from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .sessions import record_second_factor


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A signed-in person's starting page: who they are, their role, and where to go next."""
    has_totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return render(request, "accounts/home.html", {"has_totp": has_totp, "nav": "me"})


# Where to go after enrolling an authenticator: the page that asked for it (?next=), kept in the
# session because allauth's form posts to its own address without the query string.
MFA_NEXT = "mfa_next"


class ActivateTOTPAndContinue(ActivateTOTPView):  # type: ignore[misc]  # allauth is untyped
    """allauth's authenticator enrolment, then back to the page that asked for it (the staff MFA
    requirement, the applicant's submission). allauth itself always lands on its own pages.
    If recovery codes were just made, those are shown first, with a link to continue."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            request.session[MFA_NEXT] = target
        response: HttpResponse = super().get(request, *args, **kwargs)
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        """The code that confirmed the new authenticator is this session's second factor: the
        person goes on to the page that asked, without signing in again."""
        response: HttpResponse = super().form_valid(form)
        authenticator = Authenticator.objects.get(user=self.request.user, type=Authenticator.Type.TOTP)
        record_second_factor(self.request, authenticator)
        return response

    def get_success_url(self) -> str:
        if self.did_generate_recovery_codes:
            return str(super().get_success_url())
        return str(self.request.session.pop(MFA_NEXT, "") or super().get_success_url())


class RecoveryCodesAndContinue(ViewRecoveryCodesView):  # type: ignore[misc]  # allauth is untyped
    """allauth's recovery codes page, offering the way back to the page that asked for the
    enrolment. The address is taken out of the session here, so it is offered once: a later visit
    to the codes shows no stale 続ける link."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["continue_url"] = self.request.session.pop(MFA_NEXT, "")
        return context
