"""The language a text is shown in, for texts that live in data (`title_ja` / `title_en`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language


def current_language() -> str:
    """ "ja" or "en": the language of the page being rendered."""
    return (get_language() or "ja")[:2]


def localised(item: Mapping[str, Any] | Any, key: str, language: str | None = None) -> str:
    """`item["<key>_<language>"]`, falling back to Japanese; works on mappings and objects
    (a pydantic model of the programme file, a model with name_ja / name_en columns)."""
    language = (language or current_language())[:2]
    if isinstance(item, Mapping):
        return str(item.get(f"{key}_{language}") or item.get(f"{key}_ja") or "")
    return str(getattr(item, f"{key}_{language}", None) or getattr(item, f"{key}_ja", "") or "")
