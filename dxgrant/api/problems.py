"""RFC 9457 problem details (application/problem+json) for every API error."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM_TYPES = "https://dxgrant.example/problems/"


def problem(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str = "",
    kind: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": kind if kind == "about:blank" else PROBLEM_TYPES + kind,
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/problem+json; charset=utf-8",
    )
