"""The check-in code shown during a training session (研修の出席コード).

The code is six digits derived from the session's secret and its id with HMAC-SHA256, and it
rotates every five minutes: a code photographed and passed to someone who is not there stops
working within ten minutes. The code of the current window and of the one before are both
accepted, so a person typing while the code changes is not refused.

A code is accepted only inside the check-in window: from the session's start to its end plus
the round's grace minutes (`training.checkin_grace_minutes`). Outside it there is no code to
show and none to accept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.utils import timezone

from dxgrant.programs.schema import Training

from .models import TrainingSession

ROTATION_SECONDS = 300
CODE_DIGITS = 6


def new_secret() -> str:
    return secrets.token_hex(32)


def grace_minutes(training: Training) -> int:
    return training.checkin_grace_minutes


def grace_period(training: Training) -> dt.timedelta:
    return dt.timedelta(minutes=grace_minutes(training))


@dataclass(frozen=True)
class CheckInWindow:
    opens: dt.datetime
    closes: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        return self.opens <= moment <= self.closes


def window_for(session: TrainingSession, training: Training) -> CheckInWindow:
    return CheckInWindow(
        opens=session.starts_at,
        closes=session.ends_at + grace_period(training),
    )


def _slot(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // ROTATION_SECONDS


def _code(session: TrainingSession, slot: int) -> str:
    digest = hmac.new(
        session.checkin_secret.encode("ascii"), f"{session.pk}:{slot}".encode("ascii"), hashlib.sha256
    ).digest()
    # Dynamic truncation as in HOTP (RFC 4226), which keeps the digits evenly spread.
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def current_code(session: TrainingSession, training: Training, now: dt.datetime | None = None) -> str:
    """The code to show now, or "" outside the check-in window or for a cancelled session."""
    now = now or timezone.now()
    if session.cancelled_at is not None or not window_for(session, training).contains(now):
        return ""
    return _code(session, _slot(now))


def seconds_until_rotation(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return ROTATION_SECONDS - int(now.timestamp()) % ROTATION_SECONDS


def normalise_code(raw: str) -> str:
    """People type full-width digits and spaces on Japanese keyboards; accept them."""
    table = str.maketrans("０１２３４５６７８９", "0123456789")
    return "".join(ch for ch in raw.translate(table) if not ch.isspace() and ch != "-")


def code_matches(session: TrainingSession, code: str, now: dt.datetime | None = None) -> bool:
    """True if `code` is the code of the current or the previous five-minute window."""
    now = now or timezone.now()
    code = normalise_code(code)
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return False
    slot = _slot(now)
    # Compare against both windows without stopping early (constant time).
    matches = [hmac.compare_digest(code, _code(session, s)) for s in (slot, slot - 1)]
    return any(matches)
