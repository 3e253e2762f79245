"""Error pages. A server error gets a reference number that is also in the log, so the person
who saw it can quote it and staff can find what happened."""

import logging
import uuid

from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger("dxgrant.errors")


def server_error(request: HttpRequest) -> HttpResponse:
    reference = uuid.uuid4().hex[:12].upper()
    logger.error("server error %s on %s %s", reference, request.method, request.path)
    try:
        body: str = loader.render_to_string("500.html", {"reference": reference})
    except Exception:  # noqa: BLE001 - the error page must never fail itself
        body = f"<h1>Server error / システムエラー</h1><p>Reference: {reference}</p>"
    return HttpResponse(body, status=500)
