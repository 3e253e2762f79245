from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dxgrant.programs.selectors import current_programme

from .navigation import role_nav


def site(request: HttpRequest) -> dict[str, Any]:
    """The programme for the header and footer, fetched only if a template reads it; the
    back-office bar of a staff member's role."""
    return {
        "site_programme": SimpleLazyObject(lambda: current_programme(request)),
        "role_nav": SimpleLazyObject(lambda: _role_nav(request)),
    }


def _role_nav(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return role_nav(user, request.path) if user is not None else None
