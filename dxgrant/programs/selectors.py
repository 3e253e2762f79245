"""Reads for the public site and the API."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from .models import Programme, Round


def public_rounds(programme: Programme) -> list[Round]:
    """Rounds a visitor sees, in date order. A demo round is data like any other: it exists only
    where demo data was seeded (seeding is refused unless demo data is enabled), and the pages
    label it as a demo."""
    return list(Round.objects.filter(programme=programme).order_by("application_opens", "code"))


_UNSET = object()


def current_programme(request: HttpRequest | None = None) -> Programme | None:
    """The programme this site serves (the first loaded; one per installation for now).
    Remembered on the request, so the page and its header share one query."""
    cached = getattr(request, "_dxgrant_programme", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    programme = Programme.objects.order_by("pk").first()
    if request is not None:
        request._dxgrant_programme = programme  # type: ignore[attr-defined]
    return programme


def get_programme(request: HttpRequest | None = None) -> Programme:
    programme = current_programme(request)
    if programme is None:
        raise Http404("No programme has been loaded.")
    return programme


def get_round(code: str) -> Round:
    """A round by its code (404 if there is none)."""
    round_obj = Round.objects.filter(code=code).first()
    if round_obj is None:
        raise Http404(code)
    return round_obj
