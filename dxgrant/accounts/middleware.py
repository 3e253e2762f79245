"""Staff, finance, reviewer and auditor accounts must enrol a second factor before anything else."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import User

# Pages a signed-in user without MFA may still reach: enrolment itself, sign-out, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


def must_enrol_second_factor(user: User) -> bool:
    """A role that needs a second factor, and no authenticator enrolled yet."""
    return (
        user.requires_mfa
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and must_enrol_second_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.get_full_path())
        return self.get_response(request)
