"""What a list export is: its code, title, the policy of the list page (an export is allowed
exactly when the page is), the queryset built from the page's own filter parameters, and the
columns (header in the reader's language, value of a row). The lists themselves are in
lists_*.py; registry.py gathers them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from dxgrant.accounts.models import Visitor
from dxgrant.core.decisions import Decision

Params = Mapping[str, str]
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: Promise | str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListExport:
    code: str
    title: Promise | str
    list_url: str  # the list page's URL name, for "back to the list"
    policy: Callable[[Visitor], Decision]
    queryset: Callable[[Visitor, Params], QuerySet[Any]]
    columns: tuple[Column, ...]
    # Rows as the columns read them (e.g. a demand with its figures); default: the model itself.
    present: Callable[[Iterable[Any]], Iterable[Any]] = field(default=lambda rows: rows)
    # A list whose columns depend on the data (a survey's questions): a generator of the header,
    # then the rows, from the page's parameters; `queryset` then only counts the rows.
    generate: Callable[[Params], Iterator[list[Any]]] | None = None

    def header(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def table(self, queryset: QuerySet[Any], params: Params) -> tuple[list[str], Iterator[list[Any]]]:
        """The header and the rows of the file."""
        if self.generate is not None:
            generated = self.generate(params)
            return [str(h) for h in next(generated)], generated
        return self.header(), self.rows(queryset)

    def rows(self, queryset: QuerySet[Any]) -> Iterator[list[Any]]:
        """Each row's values, read in chunks (constant queries per chunk, flat memory)."""
        for obj in self.present(queryset.iterator(chunk_size=CHUNK)):
            yield [c.value(obj) for c in self.columns]


def email_of(user: Model | None) -> str:
    return getattr(user, "email", "") if user is not None else ""


def in_chunks(
    make_rows: Callable[[list[Any]], Iterable[Any]], size: int = CHUNK
) -> Callable[[Iterable[Any]], Iterator[Any]]:
    """A `present` that reads the objects a chunk at a time and turns each chunk into rows with
    one more query (e.g. a page's own row builder), so queries stay constant per chunk."""

    def present(objects: Iterable[Any]) -> Iterator[Any]:
        it = iter(objects)
        while chunk := list(islice(it, size)):
            yield from make_rows(chunk)

    return present
