"""Demo history that happened in the past: seeding a firm whose certification has already
expired means registering and certifying it years ago, so its dates, its validity and its audit
history agree. Only the demo app turns the clock back, only while it seeds, and only on the
process's own clock (`django.utils.timezone.now`, which every service and the audit log read)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


@contextmanager
def as_of(day: dt.date) -> Iterator[None]:
    """Run the block as if today were `day` (at the same time of day), then come back."""
    real_now = timezone.now
    offset = dt.datetime.combine(day, dt.time()) - dt.datetime.combine(timezone.localdate(), dt.time())
    with mock.patch.object(timezone, "now", lambda: real_now() + offset):
        yield
