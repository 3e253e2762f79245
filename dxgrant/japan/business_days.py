"""営業日 (business day) arithmetic for deadlines.

Deadlines such as 「受付から10営業日以内」 skip weekends, 国民の祝日 (via
jpholiday, including 振替休日 and 国民の休日) and the government offices'
year-end closure 12/29-1/3 (行政機関の休日に関する法律). The closure is a
parameter because banks, for example, are open on 12/29-12/31.
"""

from collections.abc import Collection
from datetime import date, timedelta

import jpholiday

__all__ = [
    "GOVERNMENT_CLOSED_DAYS",
    "add_business_days",
    "business_days_between",
    "is_business_day",
]

# (month, day) pairs closed every year, in addition to weekends and holidays.
GOVERNMENT_CLOSED_DAYS: frozenset[tuple[int, int]] = frozenset(
    {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
)

_ONE_DAY = timedelta(days=1)


def is_business_day(d: date, closed_days: Collection[tuple[int, int]] = GOVERNMENT_CLOSED_DAYS) -> bool:
    """True unless ``d`` is a Saturday, Sunday, public holiday or closed day."""
    if d.weekday() >= 5:
        return False
    if (d.month, d.day) in closed_days:
        return False
    return not jpholiday.is_holiday(d)


def add_business_days(
    d: date,
    n: int,
    closed_days: Collection[tuple[int, int]] = GOVERNMENT_CLOSED_DAYS,
) -> date:
    """Return the n-th business day after ``d`` (``d`` itself not counted).

    ``n == 0`` returns ``d`` if it is a business day, otherwise the next
    business day, so the result is always a business day. Consequently, for
    a non-business ``d`` (e.g. Saturday) n=0 and n=1 give the same day
    (Monday). Raises ValueError for negative ``n``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    current = d
    if n == 0:
        while not is_business_day(current, closed_days):
            current += _ONE_DAY
        return current
    remaining = n
    while remaining:
        current += _ONE_DAY
        if is_business_day(current, closed_days):
            remaining -= 1
    return current


def business_days_between(
    start: date,
    end: date,
    closed_days: Collection[tuple[int, int]] = GOVERNMENT_CLOSED_DAYS,
) -> int:
    """Count business days in the half-open range ``(start, end]``.

    This is the inverse of :func:`add_business_days` for a business-day
    ``start``: ``business_days_between(s, add_business_days(s, n)) == n``.
    If ``end`` is before ``start`` the count is negated.
    """
    if end < start:
        return -business_days_between(end, start, closed_days)
    count = 0
    current = start + _ONE_DAY
    while current <= end:
        if is_business_day(current, closed_days):
            count += 1
        current += _ONE_DAY
    return count
