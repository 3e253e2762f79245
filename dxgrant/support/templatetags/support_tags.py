"""Display helpers for support pages: dates and times in Japan time, hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

register = template.Library()

_WEEKDAYS_JA = "月火水木金土日"


def _lang() -> str:
    return (get_language() or "ja")[:2]


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def when(value: Any) -> str:
    """2026年11月26日（木）13:00 — in English: Thu 26 Nov 2026, 13:00 (Japan time)."""
    if not isinstance(value, dt.datetime):
        return ""
    local = _local(value)
    if _lang() == "en":
        return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
    return f"{local.year}年{local.month}月{local.day}日（{_WEEKDAYS_JA[local.weekday()]}）{local:%H:%M}"


@register.filter
def day(value: Any) -> str:
    """2026年11月26日（木） — in English: Thu 26 Nov 2026."""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if not isinstance(value, dt.date):
        return ""
    if _lang() == "en":
        return f"{value:%a} {value.day} {value:%b %Y}"
    return f"{value.year}年{value.month}月{value.day}日（{_WEEKDAYS_JA[value.weekday()]}）"


@register.filter
def clock(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    return f"{_local(value):%H:%M}"


@register.simple_tag
def session_time(session: Any) -> str:
    """The day and hours of a session: 2026年11月26日（木）13:00〜15:00."""
    starts, ends = _local(session.starts_at), _local(session.ends_at)
    sep = "–" if _lang() == "en" else "〜"
    if starts.date() == ends.date():
        return f"{day(starts)} {starts:%H:%M}{sep}{ends:%H:%M}"
    return f"{when(starts)}{sep}{when(ends)}"


@register.filter
def hours(value: Any) -> str:
    """6.0 → 6, 1.5 → 1.5."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return ""
