"""The public site: the programme as data, the self-check and the guidelines PDF."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from dxgrant.core.pdf import JapaneseFontMissing, render_pdf
from dxgrant.programs.eligibility import evaluate
from dxgrant.programs.models import Programme
from dxgrant.programs.selectors import get_programme, get_round

from ..forms import SelfCheckForm
from ..selectors import ProgrammeOverview, programme_overview

logger = logging.getLogger(__name__)


def _programme_context(
    programme: Programme, overview: ProgrammeOverview | None = None, **extra: Any
) -> dict[str, Any]:
    overview = overview or programme_overview(programme)
    return {
        "programme": programme,
        "content": programme.content,
        "rounds": overview.rounds,
        "featured_round": overview.featured_round,
        "demo_rounds": overview.demo_rounds,
        "open_round": overview.open_round,
        "today": overview.today,
        **extra,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", _programme_context(get_programme(request), nav="home"))


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html", _programme_context(get_programme(request), nav="about"))


def eligibility(request: HttpRequest) -> HttpResponse:
    return render(
        request, "public/eligibility.html", _programme_context(get_programme(request), nav="eligibility")
    )


def schedule(request: HttpRequest) -> HttpResponse:
    return render(request, "public/schedule.html", _programme_context(get_programme(request), nav="schedule"))


def documents(request: HttpRequest) -> HttpResponse:
    return render(
        request, "public/documents.html", _programme_context(get_programme(request), nav="documents")
    )


def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "public/faq.html", _programme_context(get_programme(request), nav="faq"))


def operator(request: HttpRequest) -> HttpResponse:
    return render(request, "public/operator.html", _programme_context(get_programme(request), nav="operator"))


def self_check_start(request: HttpRequest) -> HttpResponse:
    """The home page's main button: the self-check of the round taking applications today; when
    none is, a page that says so and offers the last closed round's rules."""
    programme = get_programme(request)
    overview = programme_overview(programme)
    if overview.open_round is not None:
        return redirect("public:self_check", code=overview.open_round.code)
    context = _programme_context(
        programme,
        overview,
        nav="eligibility",
        last_closed=overview.last_closed_round,
        upcoming=[r for r in overview.rounds if r.status == "before"],  # type: ignore[attr-defined]
    )
    return render(request, "public/self_check_none_open.html", context)


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = get_round(code)
    rules = round_obj.rules.eligibility
    form = SelfCheckForm(request.POST or None, eligibility=rules)
    result = None
    if request.method == "POST" and form.is_valid():
        result = evaluate(rules, form.facts())
    context = {
        "round": round_obj,
        "round_status": round_obj.application_status(),
        "form": form,
        "result": result,
        "nav": "eligibility",
    }
    if request.headers.get("HX-Request"):
        return render(request, "public/_self_check_body.html", context)
    return render(request, "public/self_check.html", context)


def guidelines_pdf(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = get_round(code)
    programme = round_obj.programme
    today = timezone.localdate()
    # Rendering takes about a second; a visitor's download should not, and a public endpoint
    # must not let anyone make the server do that work on every request.
    cache_key = f"guidelines-pdf:{round_obj.pk}:{round_obj.updated_at.isoformat()}:{programme.updated_at.isoformat()}:{today}"
    pdf = cache.get(cache_key)
    if pdf is not None:
        return _pdf_response(pdf, round_obj.code)
    context = {
        "programme": programme,
        "content": programme.content,
        "round": round_obj,
        "round_status": round_obj.application_status(),
        "generated_on": today,
        "language": get_language(),
    }
    try:
        pdf = render_pdf("public/guidelines_pdf.html", context)
    except JapaneseFontMissing as exc:
        logger.error("guidelines PDF for %s not generated: %s", code, exc)
        return render(request, "public/pdf_unavailable.html", {"message": str(exc)}, status=503)
    cache.set(cache_key, pdf, timeout=60 * 60 * 24)
    return _pdf_response(pdf, round_obj.code)


def _pdf_response(pdf: bytes, code: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guidelines-{code}.pdf"'
    return response


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    found = finders.find("dxgrant/favicon.ico")
    return Path(str(found)).read_bytes()


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bookmarks ask for whatever the page's <link rel="icon">."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
