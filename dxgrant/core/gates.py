"""Who may open a page, decided once at its door.

`requires(policy)` wraps a view: an anonymous visitor is sent to sign in and comes back; a
signed-in person the policy refuses gets the 403 page with the policy's reason. Objects are
still fetched with `get_<thing>_for(actor, pk)` inside the view (404 for missing and forbidden
alike): the gate answers "may this person use this kind of page at all".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .decisions import Decision

View = Callable[..., HttpResponse]


def login_redirect(request: HttpRequest) -> HttpResponse:
    """To the sign-in page, coming back here afterwards (query string and all: `next` is
    encoded, so `?status=a&q=b` survives the trip)."""
    return redirect_to_login(request.get_full_path(), reverse("account_login"))


def requires(policy: Callable[[Any], Decision]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return login_redirect(request)
            policy(request.user).require()
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
