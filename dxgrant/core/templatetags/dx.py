"""Template helpers for Japanese-first display: localised data texts, 和暦, yen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import template

from dxgrant.core.i18n import current_language, localised
from dxgrant.japan import wareki
from dxgrant.japan.prefectures import prefecture_name

register = template.Library()


@register.filter
def loc(item: Mapping[str, Any] | Any, key: str) -> str:
    """`{{ faq|loc:"question" }}` → question_ja or question_en by the current language."""
    return localised(item, key)


@register.filter
def prefecture(value: str) -> str:
    """`{{ application.prefecture|prefecture }}` → 東京都, or Tokyo in English."""
    return prefecture_name(value or "", current_language())


@register.filter
def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


@register.filter
def seireki(value: Any) -> str:
    """2026年4月30日 in Japanese, 30 April 2026 in English."""
    d = as_date(value)
    if d is None:
        return ""
    if current_language() == "en":
        return f"{d.day} {d:%B} {d.year}"
    return f"{d.year}年{d.month}月{d.day}日"


@register.filter
def wareki_date(value: Any) -> str:
    d = as_date(value)
    if d is None:
        return ""
    try:
        return wareki.format_date(d)
    except ValueError:
        return ""


@register.filter
def yen(value: Any) -> str:
    """100000000 → 100,000,000円 (¥100,000,000 in English)."""
    if value is None or value == "":
        return ""
    amount = int(value)
    return f"¥{amount:,}" if current_language() == "en" else f"{amount:,}円"


@register.filter
def yen_short(value: Any) -> str:
    """100000000 → 1億円, 50000000 → 5,000万円; English: 100 million yen."""
    amount = int(value)
    if current_language() == "en":
        if amount % 1_000_000 == 0:
            return f"{amount // 1_000_000:,} million yen"
        return f"{amount:,} yen"
    oku, rest = divmod(amount, 100_000_000)
    man, yen_part = divmod(rest, 10_000)
    if yen_part:
        return f"{amount:,}円"
    parts = (f"{oku:,}億" if oku else "") + (f"{man:,}万" if man else "")
    return f"{parts or '0'}円"


@register.filter
def linebreaks_split(value: str) -> list[str]:
    """Paragraphs of a multi-line data text, without empty lines."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


@register.simple_tag
def range_sep() -> str:
    """〜 between two dates in Japanese, an en dash in English."""
    return "–" if current_language() == "en" else "〜"
