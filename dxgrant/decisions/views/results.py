"""/rounds/<code>/results/: the round's published results, for anyone (404 before)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
def results(request: HttpRequest, code: str) -> HttpResponse:
    decision = selectors.published_decision(code)
    context = {
        "decision": decision,
        "round": decision.round,
        "entries": selectors.published_entries(decision),
        "rule": decision.amount_rule,
    }
    return render(request, "decisions/results.html", context)
