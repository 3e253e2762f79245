from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dxgrant.programs.selectors import current_programme


def site(request: HttpRequest) -> dict[str, Any]:
    """The programme for the header and footer, fetched only if a template reads it."""
    return {"site_programme": SimpleLazyObject(lambda: current_programme(request))}
