"""What a session has shown about the person signed in to it: whether it passed the second
factor, when it signed in and when it was last used.

allauth records each way the person authenticated in this session (password, then "mfa" once a
code from their authenticator was accepted); those records are read here, never the mere fact
that an authenticator is enrolled.
"""

from __future__ import annotations

import time

from allauth.account.authentication import get_authentication_records

# allauth has no public way to add a record; enrolment (views.ActivateTOTPAndContinue) uses it
# to count the code that confirmed a new authenticator as this session's second factor.
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from .models import User

# Seconds since the epoch of the last request of a back-office session.
LAST_SEEN = "dxgrant_last_seen"
# How stale LAST_SEEN may get before it is written again (one session write a minute at most).
LAST_SEEN_RESOLUTION = 60


def passed_second_factor(request: HttpRequest, user: User) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def record_second_factor(request: HttpRequest, authenticator: Authenticator) -> None:
    """The person has just entered a code from `authenticator` in this session."""
    record_authentication(request, authenticator.user, "mfa", id=authenticator.pk, type=authenticator.type)


def signed_in_at(request: HttpRequest, user: User) -> float | None:
    """When this session first authenticated (its first record), or None if it has no record."""
    times = [
        r["at"] for r in get_authentication_records(request, user) if isinstance(r.get("at"), int | float)
    ]
    return min(times) if times else None


def idle_seconds() -> int:
    return int(settings.DXGRANT_STAFF_SESSION_IDLE_MINUTES) * 60


def working_day_seconds() -> int:
    return int(settings.DXGRANT_STAFF_SESSION_HOURS) * 3600


def start_back_office_session(request: HttpRequest) -> None:
    """At sign-in: the cookie lives no longer than a working day, whatever "stay signed in"
    asked for (the idle period is checked on each request, so that the person can be told why
    they were signed out)."""
    request.session[LAST_SEEN] = time.time()
    request.session.set_expiry(working_day_seconds())


def back_office_session_ended(request: HttpRequest, user: User) -> str:
    """Why this back-office session is over ("idle" or "day"), or "" while it may go on; notes
    the use when it goes on."""
    now = time.time()
    started = signed_in_at(request, user)
    last_seen = request.session.get(LAST_SEEN)
    if started is not None and now - started > working_day_seconds():
        return "day"
    if isinstance(last_seen, int | float) and now - last_seen > idle_seconds():
        return "idle"
    if not isinstance(last_seen, int | float) or now - last_seen >= LAST_SEEN_RESOLUTION:
        request.session[LAST_SEEN] = now
    if request.session.get_expiry_age() != working_day_seconds():
        # "Stay signed in" (or its absence) was applied after sign-in: a working day rules.
        request.session.set_expiry(working_day_seconds())
    return ""
