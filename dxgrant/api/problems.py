"""RFC 9457 problem details (application/problem+json) for every API error, each in one language:
the request's (English when Accept-Language starts with `en`, else Japanese)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROBLEM_TYPES = "https://dxgrant.example/problems/"

INVALID_BODY = _("入力内容に誤りがあります")
INVALID_BODY_DETAIL = _("各項目のメッセージに従って直してから、もう一度送ってください。")
NOT_FOUND = _("見つかりません")


def language_of(request: HttpRequest) -> str:
    """The API answers in English when the request's Accept-Language starts with `en`."""
    return "en" if request.headers.get("Accept-Language", "").lower().startswith("en") else "ja"


def problem(
    request: HttpRequest,
    *,
    status: int,
    title: str | Promise,
    detail: str | Promise = "",
    params: dict[str, Any] | None = None,
    kind: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem response; lazy texts (and `detail % params`) are rendered in the request's
    language."""
    with translation.override(language_of(request)):
        body: dict[str, Any] = {
            "type": kind if kind == "about:blank" else PROBLEM_TYPES + kind,
            "title": str(title),
            "status": status,
            "instance": request.path,
        }
        if detail:
            body["detail"] = str(detail) % params if params else str(detail)
        if errors is not None:
            body["errors"] = [{key: str(value) for key, value in error.items()} for error in errors]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/problem+json; charset=utf-8",
        headers=headers,
    )
    response["Content-Language"] = language_of(request)
    return response
