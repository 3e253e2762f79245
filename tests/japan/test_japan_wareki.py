"""Tests for dxgrant.japan.wareki (和暦)."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dxgrant.japan import wareki

MEIJI_START = date(1868, 10, 23)
ERA_ORDER = ["明治", "大正", "昭和", "平成", "令和"]
wareki_dates = st.dates(min_value=MEIJI_START, max_value=date(9999, 12, 30))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 4, 30), "令和8年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1868, 10, 23), "明治元年10月23日"),
        (date(1900, 1, 1), "明治33年1月1日"),
    ],
)
def test_known_dates(d: date, expected: str) -> None:
    assert wareki.format_date(d) == expected
    assert wareki.parse_date(expected) == d


def test_format_year_and_era_year() -> None:
    assert wareki.format_year(date(2026, 4, 30)) == "令和8年"
    assert wareki.format_year(date(2019, 12, 31)) == "令和元年"
    assert wareki.era_year(date(2019, 12, 31)) == ("令和", 1)
    assert wareki.era_year(date(1989, 1, 7)) == ("昭和", 64)


def test_before_meiji_raises() -> None:
    with pytest.raises(ValueError):
        wareki.format_date(date(1868, 10, 22))
    with pytest.raises(ValueError):
        wareki.era_year(date(1, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # that day is 令和元年
        "令和元年4月30日",  # still 平成
        "昭和64年1月8日",
        "明治元年10月22日",
        "令和0年1月1日",
        "令和8年2月30日",
        "令和８年4月30日",  # full-width digits
        "令和8年4月30",
        "R8年4月30日",
        "2026年4月30日",
        "",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        wareki.parse_date(text)


def test_parse_accepts_year_one() -> None:
    assert wareki.parse_date("令和1年5月1日") == date(2019, 5, 1)


@given(wareki_dates)
def test_round_trip(d: date) -> None:
    text = wareki.format_date(d)
    assert re.fullmatch(r"(明治|大正|昭和|平成|令和)(元|[1-9][0-9]*)年[0-9]{1,2}月[0-9]{1,2}日", text)
    assert wareki.parse_date(text) == d


@given(wareki_dates)
def test_era_year_properties(d: date) -> None:
    era, year = wareki.era_year(d)
    assert year >= 1
    start = next(e.start for e in wareki.ERAS if e.name == era)
    assert start <= d
    assert d.year == start.year + year - 1
    assert ("元年" in wareki.format_year(d)) == (year == 1)
    assert wareki.format_year(d) == (f"{era}元年" if year == 1 else f"{era}{year}年")


@given(wareki_dates)
# The last day of each era: random dates almost never land there, and the new-era branch below
# would not run.
@example(date(1912, 7, 29))
@example(date(1926, 12, 24))
@example(date(1989, 1, 7))
@example(date(2019, 4, 30))
def test_next_day_is_same_year_next_year_or_new_era(d: date) -> None:
    era, year = wareki.era_year(d)
    next_era, next_year = wareki.era_year(d + timedelta(days=1))
    if next_era == era:
        expected = year + 1 if (d + timedelta(days=1)).year != d.year else year
        assert next_year == expected
    else:
        assert ERA_ORDER.index(next_era) == ERA_ORDER.index(era) + 1
        assert next_year == 1


@given(wareki_dates, wareki_dates)
def test_monotonic(a: date, b: date) -> None:
    if a > b:
        a, b = b, a
    era_a, year_a = wareki.era_year(a)
    era_b, year_b = wareki.era_year(b)
    assert (ERA_ORDER.index(era_a), year_a) <= (ERA_ORDER.index(era_b), year_b)
