"""Repeated failed sign-ins: an account is locked from one address (django-axes, per account and
address pair, reset by a success), and an address is limited on its own, more generously, over
every account it tries (so one address guessing many emails is slowed without locking out the
other people behind it, who only meet this limit after many more failures).

The per-address limit counts axes's own rows (`AccessAttempt`): exact across processes, and
nothing else to keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def normalised_login(value: object) -> str | None:
    """The account an attempt names, as accounts store it (lower case, no spaces around)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def username_of(request: HttpRequest | None, credentials: Mapping[str, object] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account an attempt names. allauth authenticates with
    `email=`, the sign-in form posts `login`, and axes's own reset after a success passes
    `AXES_USERNAME_FORM_FIELD`; each is read so that the failures and the reset name the same
    account."""
    if credentials:
        for key in ("email", "username", settings.AXES_USERNAME_FORM_FIELD):
            found = normalised_login(credentials.get(key))
            if found:
                return found
    if request is not None and request.method == "POST":
        return normalised_login(request.POST.get(settings.AXES_USERNAME_FORM_FIELD))
    return None


def address_failures(ip_address: str | None) -> int:
    """Failed sign-ins from one address, over every account, within the cool-off period."""
    if not ip_address:
        return 0
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def address_is_limited(ip_address: str | None) -> bool:
    return address_failures(ip_address) >= settings.DXGRANT_LOGIN_FAILURES_PER_ADDRESS
