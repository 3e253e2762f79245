"""Every request of a signed-in person passes here:

- `RequireMFAMiddleware`: accounts whose role needs a second factor (staff, reviewers, advisors)
  and anyone who may open the Django admin use the site only in a session that PASSED it; one
  without an authenticator is sent to enrol first, one that signed in some other way (a
  password alone) is signed out and sent to the site's sign-in.
- `BackOfficeSessionMiddleware`: back-office sessions end after a working day and after an
  idle period.
- `PrivateCacheMiddleware`: what a signed-in person is shown is never kept by a cache.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .models import User
from .sessions import back_office_session_ended, passed_second_factor

# Pages a signed-in user without a passed second factor may still reach: sign-in, enrolment,
# sign-out, static files, the language switch.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")

Middleware = Callable[[HttpRequest], HttpResponse]


def must_enrol_second_factor(user: User) -> bool:
    """A role that needs a second factor, and no authenticator enrolled yet."""
    return (
        user.requires_mfa
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def _signed_in_user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def _sign_out_to_sign_in(request: HttpRequest, message: str) -> HttpResponse:
    """Sign the person out and send them to the sign-in, and back here afterwards. An htmx
    request (an autosave) is told to load the sign-in page rather than swap it into a fragment."""
    logout(request)
    messages.info(request, message)
    next_url = request.get_full_path() if request.method == "GET" else (request.headers.get("Referer") or "/")
    response: HttpResponse = redirect_to_login(next_url, settings.LOGIN_URL)
    if request.headers.get("HX-Request"):
        target = response["Location"]
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
    return response


class RequireMFAMiddleware:
    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in_user(request)
        if (
            user is not None
            and user.requires_mfa
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not passed_second_factor(request, user)
        ):
            if must_enrol_second_factor(user):
                return redirect(reverse("mfa_activate_totp") + "?next=" + request.get_full_path())
            return _sign_out_to_sign_in(
                request,
                _(
                    "このアカウントは、パスワードと認証アプリのコードの両方でログインする必要があります。もう一度ログインしてください。"
                ),
            )
        return self.get_response(request)


class BackOfficeSessionMiddleware:
    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in_user(request)
        if user is not None and user.has_short_sessions and not request.path.startswith("/static/"):
            ended = back_office_session_ended(request, user)
            if ended == "idle":
                return _sign_out_to_sign_in(
                    request,
                    _(
                        "%(minutes)s分以上操作がなかったため、安全のためログアウトしました。もう一度ログインしてください。"
                    )
                    % {"minutes": settings.DXGRANT_STAFF_SESSION_IDLE_MINUTES},
                )
            if ended == "day":
                return _sign_out_to_sign_in(
                    request,
                    _(
                        "ログインしてから%(hours)s時間が経過したため、安全のためログアウトしました。もう一度ログインしてください。"
                    )
                    % {"hours": settings.DXGRANT_STAFF_SESSION_HOURS},
                )
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages, PDFs and downloads answered to a signed-in person: `Cache-Control: private,
    no-store`, so neither a shared cache nor the browser's disk keeps them."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
