"""和暦 (Japanese era) formatting and parsing.

Government forms and 交付決定通知書 are dated in 和暦, e.g. ``令和8年4月30日``;
the first year of an era is written ``元年``. Numbers are ASCII digits.

Era start dates (Gregorian, the first day of year 1 of each era):

* 明治 1868-10-23 — the date of the 改元の詔 (慶応4年9月8日). Meiji was
  applied retroactively to 慶応4年1月1日 (1868-01-25), but we start at the
  decree so that every date maps to exactly one era. Japan used the
  lunisolar calendar until 明治5年12月2日 (1872-12-31); for earlier dates we
  only convert the *year*, keeping the Gregorian month and day, so they do
  not match the lunisolar dates printed in historical documents.
* 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.

Dates before 明治 raise ValueError.
"""

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ERAS",
    "Era",
    "era_year",
    "format_date",
    "format_year",
    "parse_date",
]


@dataclass(frozen=True, slots=True)
class Era:
    """An era name and the Gregorian date on which its year 1 starts."""

    name: str
    start: date


# Newest first, so lookup stops at the first era that has started.
ERAS: tuple[Era, ...] = (
    Era("令和", date(2019, 5, 1)),
    Era("平成", date(1989, 1, 8)),
    Era("昭和", date(1926, 12, 25)),
    Era("大正", date(1912, 7, 30)),
    Era("明治", date(1868, 10, 23)),
)

_ERAS_BY_NAME = {era.name: era for era in ERAS}
_DATE_RE = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和)(?P<year>元|[0-9]{1,4})年"
    r"(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日"
)


def era_year(d: date) -> tuple[str, int]:
    """Return ``(era name, year within era)``; the year is 1 for 元年."""
    for era in ERAS:
        if d >= era.start:
            return era.name, d.year - era.start.year + 1
    raise ValueError(f"明治より前の日付は和暦に変換できません: {d.isoformat()}")


def format_year(d: date) -> str:
    """Return e.g. ``令和8年`` or ``令和元年``."""
    name, year = era_year(d)
    return f"{name}{'元' if year == 1 else year}年"


def format_date(d: date) -> str:
    """Return e.g. ``令和8年4月30日`` (no zero padding, ASCII digits)."""
    return f"{format_year(d)}{d.month}月{d.day}日"


def parse_date(text: str) -> date:
    """Parse the output of :func:`format_date` back into a date.

    Accepts ``元年`` or ``1年`` for the first year. Raises ValueError for
    malformed text and for dates outside the named era (e.g. ``平成31年5月1日``,
    which is 令和元年5月1日), so typos are not silently moved to another era.
    """
    match = _DATE_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"和暦の日付として解釈できません: {text!r}")
    era = _ERAS_BY_NAME[match["era"]]
    year = 1 if match["year"] == "元" else int(match["year"])
    if year < 1:
        raise ValueError(f"和暦の年は1以上です: {text!r}")
    result = date(era.start.year + year - 1, int(match["month"]), int(match["day"]))
    if era_year(result) != (era.name, year):
        raise ValueError(f"{era.name}の期間外の日付です: {text!r}")
    return result
