"""Keyset pagination for every long list: the next page starts after the last row's key, so
page 300 costs what page 1 does (OFFSET would read and discard every earlier row).

Lists newest first page by id with `?before=<id>`; lists in a natural order (the public
register by certification number, a queue oldest first) page with `?after=<key>`. The page
carries the value for the link to the next one, or None on the last page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
R = TypeVar("R")


@dataclass(frozen=True)
class KeysetPage(Generic[R]):
    items: Sequence[R]
    # The key to pass as ?before= / ?after= for the next page; None on the last page.
    next_cursor: str | None


def _parse(cursor: str | int | None, key: str) -> Any:
    if cursor is None or cursor == "":
        return None
    if key in ("pk", "id"):
        text = str(cursor)
        return int(text) if text.isdigit() else None
    return str(cursor)


def keyset_page(
    queryset: QuerySet[M],
    *,
    cursor: str | int | None,
    size: int,
    key: str = "pk",
    descending: bool = True,
    rows: Callable[[list[M]], Sequence[R]] | None = None,
) -> KeysetPage[R]:
    """One page of `queryset` ordered by `key` (unique), starting after `cursor`; a garbled
    cursor starts at the beginning. `rows` turns the page's objects into what the template
    shows, in one pass over the page (never queries per row)."""
    start = _parse(cursor, key)
    if start is not None:
        queryset = queryset.filter(**{f"{key}__{'lt' if descending else 'gt'}": start})
    objects = list(queryset.order_by(f"-{key}" if descending else key)[: size + 1])
    more = len(objects) > size
    objects = objects[:size]
    items: Sequence[Any] = rows(objects) if rows is not None else objects
    last = str(getattr(objects[-1], key)) if more and objects else None
    return KeysetPage(items, last)
