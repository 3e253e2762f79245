"""Tests for dxgrant.japan.business_days (営業日)."""

from datetime import date, timedelta

import jpholiday
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxgrant.japan import business_days as bd

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=40)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 4, 30), True),  # Thursday
        (date(2026, 4, 29), False),  # 昭和の日
        (date(2026, 5, 6), False),  # 振替休日
        (date(2026, 5, 2), False),  # Saturday
        (date(2026, 5, 3), False),  # Sunday, 憲法記念日
        (date(2025, 12, 26), True),
        (date(2025, 12, 29), False),  # Monday, year-end closure
        (date(2026, 1, 2), False),
        (date(2026, 1, 5), True),
    ],
)
def test_known_days(d: date, expected: bool) -> None:
    assert bd.is_business_day(d) is expected


def test_closed_days_parameter() -> None:
    assert not bd.is_business_day(date(2025, 12, 29))
    assert bd.is_business_day(date(2025, 12, 29), closed_days=())
    assert not bd.is_business_day(date(2026, 1, 1), closed_days=())  # 元日 is a holiday
    assert not bd.is_business_day(date(2026, 6, 1), closed_days={(6, 1)})


def test_add_examples() -> None:
    assert bd.add_business_days(date(2026, 4, 24), 1) == date(2026, 4, 27)  # Fri → Mon
    assert bd.add_business_days(date(2026, 4, 28), 1) == date(2026, 4, 30)  # skip 昭和の日
    assert bd.add_business_days(date(2026, 5, 1), 1) == date(2026, 5, 7)  # Golden Week
    assert bd.add_business_days(date(2025, 12, 26), 1) == date(2026, 1, 5)  # 年末年始
    assert bd.add_business_days(date(2025, 12, 26), 1, closed_days=()) == date(2025, 12, 29)
    assert bd.add_business_days(date(2026, 5, 2), 0) == date(2026, 5, 7)  # Sat, n=0 rolls
    assert bd.add_business_days(date(2026, 4, 30), 0) == date(2026, 4, 30)
    assert bd.business_days_between(date(2026, 4, 24), date(2026, 5, 7)) == 5


def test_negative_n_raises() -> None:
    with pytest.raises(ValueError):
        bd.add_business_days(date(2026, 4, 30), -1)


@settings(deadline=None)
@given(dates, counts)
def test_add_result_is_a_business_day(d: date, n: int) -> None:
    result = bd.add_business_days(d, n)
    assert bd.is_business_day(result)
    assert result.weekday() < 5
    assert not jpholiday.is_holiday(result)
    assert (result.month, result.day) not in bd.GOVERNMENT_CLOSED_DAYS
    assert result >= d
    if n > 0:
        assert result > d


@settings(deadline=None)
@given(dates, counts)
def test_add_and_between_are_inverse(d: date, n: int) -> None:
    start = bd.add_business_days(d, 0)
    result = bd.add_business_days(start, n)
    assert bd.business_days_between(start, result) == n
    assert bd.business_days_between(result, start) == -n
    # No business day is skipped: the day before result has n-1 business days.
    if n > 0:
        assert bd.business_days_between(start, result - timedelta(days=1)) == n - 1


@settings(deadline=None)
@given(dates, counts)
def test_add_is_strictly_monotonic_on_business_days(d: date, n: int) -> None:
    start = bd.add_business_days(d, 0)
    assert bd.add_business_days(start, n) < bd.add_business_days(start, n + 1)
    assert bd.add_business_days(bd.add_business_days(start, n), 1) == bd.add_business_days(start, n + 1)


@settings(deadline=None)
@given(dates, st.integers(min_value=0, max_value=60))
def test_between_counts_is_business_day(d: date, span: int) -> None:
    end = d + timedelta(days=span)
    expected = sum(bd.is_business_day(d + timedelta(days=i)) for i in range(1, span + 1))
    assert bd.business_days_between(d, end) == expected
