"""Refusals the API makes before anything reads a request's body: a body over
DXGRANT_API_MAX_BODY_BYTES (413) and a body that is not JSON (415), as problem details."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from dxgrant.core.uploads import declared_length

from .problems import problem

# Where config/urls.py mounts the API.
API_PREFIX = "/api/"
BODY_METHODS = {"POST", "PUT", "PATCH"}
JSON = "application/json"
PDF = "application/pdf"
# Endpoints whose body is a file rather than JSON: their media type and the setting of their size
# limit (api/notices.py: a notice's PDF).
FILE_BODIES = {"/api/v1/notices/verify": (PDF, "DXGRANT_NOTICE_VERIFY_MAX_BYTES")}


class ApiRequestLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        file_body = FILE_BODIES.get(request.path_info)
        limit = int(getattr(settings, file_body[1]) if file_body else settings.DXGRANT_API_MAX_BODY_BYTES)
        if declared_length(request) > limit:
            return problem(
                request,
                status=413,
                title=_("リクエストの本文が大きすぎます"),
                detail=_("本文は%(limit)sバイト以内で送ってください。"),
                params={"limit": f"{limit:,}"},
                kind="payload-too-large",
            )
        if file_body and request.method in BODY_METHODS and request.content_type != file_body[0]:
            return problem(
                request,
                status=415,
                title=_("本文の形式が違います"),
                detail=_("本文は通知書のPDFで、Content-Type: application/pdf を付けて送ってください。"),
                kind="unsupported-media-type",
            )
        if not file_body and request.method in BODY_METHODS and request.content_type != JSON:
            return problem(
                request,
                status=415,
                title=_("本文の形式が違います"),
                detail=_("本文はJSONで、Content-Type: application/json を付けて送ってください。"),
                kind="unsupported-media-type",
            )
        return self.get_response(request)
