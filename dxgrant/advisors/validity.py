"""The certification's validity period, counted in months as the Civil Code counts them. Pure."""

from __future__ import annotations

import calendar
import datetime as dt


def validity_end(start: dt.date, months: int) -> dt.date:
    """Last day of a period of `months` months beginning on `start` (民法第143条).

    The period ends the day before the day with the same number `months` months later; when
    that month is too short to have such a day, it ends on the month's last day.
    2026-04-01 + 24 months → 2028-03-31; 2026-01-31 + 1 month → 2026-02-28.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return dt.date(year, month, last_day)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)
