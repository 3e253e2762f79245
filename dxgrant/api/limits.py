"""Limits of the public API: the rate per client address (a django-ninja throttle counting in the
database), and the size and media type of request bodies (middleware.py).

The count lives in the database, not the cache: every web process and every machine behind the
load balancer shares it without configuring a shared cache (the local-memory cache of a default
install is per process, so N gunicorn workers would allow N times the rate), and one upsert both
counts and reads the count, so concurrent requests cannot both slip under the limit the way a
cache's get-then-set can.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from dxgrant.integrity.middleware import client_ip

from .models import ClientRequestCount

WINDOW_SECONDS = 60
IDLE_ROWS_AFTER = 3600


# The table name is ours; the values go as parameters.
_T = ClientRequestCount._meta.db_table
COUNT_SQL = (
    f"INSERT INTO {_T} (client, window_start, requests) VALUES (%s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (client) DO UPDATE SET "
    f"requests = CASE WHEN {_T}.window_start = excluded.window_start THEN {_T}.requests + 1 ELSE 1 END, "
    f"window_start = excluded.window_start "
    f"RETURNING requests"
)


def count_request(client: str, now: float) -> int:
    """Count one request from `client` in the current minute; the count so far, this one included.
    One statement, so every API request costs exactly one query for its limit."""
    window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, [client, window])
        return int(cursor.fetchone()[0])


def prune_idle_counts(now: float) -> int:
    """Remove the rows of addresses that sent nothing for an hour (`dxgrant prune-api-counts`,
    on a timer); the number removed."""
    window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    removed, _ = ClientRequestCount.objects.filter(window_start__lt=window - IDLE_ROWS_AFTER).delete()
    return removed


class PerClientRate(BaseThrottle):
    """At most DXGRANT_API_RATE_PER_MINUTE requests per client address per calendar minute;
    beyond it ninja answers 429 with Retry-After (the seconds to the next minute)."""

    def allow_request(self, request: HttpRequest) -> bool:
        limit = int(settings.DXGRANT_API_RATE_PER_MINUTE)
        return count_request(client_ip(request) or "unknown", time.time()) <= limit

    def wait(self) -> float:
        return WINDOW_SECONDS - (time.time() % WINDOW_SECONDS)
