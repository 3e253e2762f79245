"""How often one client address may look notices up: the verification page (/verify/notice/<n>,
reading it and uploading a PDF) and the API (GET /api/v1/notices/{n}, POST /api/v1/notices/verify)
share one count, DXGRANT_NOTICE_LOOKUPS_PER_MINUTE per calendar minute. Without it anyone could
walk the notice numbers (and read companies and amounts) or have the server hash PDFs as fast as
they like; the API's general rate is too generous for that.

The count is the API's (api/limits.py: one upsert in the database, shared by every process), kept
under its own key so the two limits do not eat each other's budget."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.http import HttpRequest

from dxgrant.api.limits import WINDOW_SECONDS, count_request
from dxgrant.integrity.middleware import client_ip

SCOPE = "notice-lookup:"


def per_minute() -> int:
    return int(settings.DXGRANT_NOTICE_LOOKUPS_PER_MINUTE)


def allow_lookup(request: HttpRequest) -> bool:
    """Count this look-up; whether it is within the limit (one query)."""
    client = SCOPE + (client_ip(request) or "unknown")
    return count_request(client, time.time()) <= per_minute()


def retry_after() -> int:
    """Whole seconds until the next minute's count starts (the Retry-After header)."""
    return max(1, math.ceil(WINDOW_SECONDS - time.time() % WINDOW_SECONDS))
