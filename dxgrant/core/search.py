"""Search by name and number that works for Japanese and stays fast as rows grow.

A model that people search by name mixes in `Searchable` and names its searched fields in
`SEARCH_FIELDS`. Every save keeps two columns up to date from them, with the one normalisation
of `dxgrant.japan.search`: `search_text` (the fields folded: ｹﾔｷ, けやき and ケヤキ are one
text; hyphens of receipt numbers and 法人番号 gone) and `search_grams` (its one- and
two-character pieces). `matching(queryset, query)` keeps the rows whose text contains every
term of the query, folded the same way.

On PostgreSQL a GIN index on the pieces (created by each app's migration with
`create_grams_index`) finds the candidate rows without reading the table, for a query of any
length (a trigram index needs three characters, and Japanese names are often searched by two);
the substring test then confirms them. SQLite, the embedded default, reads the column with LIKE.

Rows written without `save()` (bulk loads such as the benchmark's generator) call
`refresh_search()` on each object first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import F, Func, QuerySet

from dxgrant.japan import search

M = TypeVar("M", bound=models.Model)

GRAMS_SEPARATOR = " "


class Searchable(models.Model):
    """Adds `search_text` and `search_grams`, recomputed from SEARCH_FIELDS on every save."""

    SEARCH_FIELDS: ClassVar[Sequence[str]] = ()

    search_text = models.TextField(blank=True, default="", editable=False)
    search_grams = models.TextField(blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.refresh_search()
        elif set(update_fields) & set(self.SEARCH_FIELDS):
            self.refresh_search()
            kwargs["update_fields"] = [*update_fields, "search_text", "search_grams"]
        super().save(**kwargs)

    def refresh_search(self) -> None:
        self.search_text = search.index_text(str(getattr(self, name) or "") for name in self.SEARCH_FIELDS)
        self.search_grams = GRAMS_SEPARATOR.join(search.grams(self.search_text))


class _Grams(Func):
    """The stored pieces as an array: the expression the GIN index is built on."""

    function = "string_to_array"
    template = f"%(function)s(%(expressions)s, '{GRAMS_SEPARATOR}')"
    output_field = ArrayField(models.TextField())


def matching(queryset: QuerySet[M], query: str) -> QuerySet[M]:
    """The rows of `queryset` whose search text contains every term of `query` (split on
    spaces, each folded like the stored text). A query with no terms filters nothing."""
    terms = search.terms(query)
    if not terms:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        pieces = sorted({piece for term in terms for piece in search.query_grams(term)})
        queryset = queryset.alias(_search_grams=_Grams(F("search_grams"))).filter(
            _search_grams__contains=pieces
        )
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def create_grams_index(table: str) -> tuple[str, str]:
    """SQL for a migration: the GIN index on `table`'s search pieces (PostgreSQL only), and its removal."""
    name = f"{table}_search_grams_gin"
    create = f"CREATE INDEX {name} ON {table} USING gin (string_to_array(search_grams, '{GRAMS_SEPARATOR}'))"
    return create, f"DROP INDEX IF EXISTS {name}"


def on_postgresql(schema_editor: BaseDatabaseSchemaEditor, sql: str) -> None:
    """Run `sql` in a migration when the database is PostgreSQL; SQLite searches without an index."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql)


def backfill(model: type[models.Model], fields: Sequence[str], batch_size: int = 2000) -> None:
    """Fill the search columns of every existing row of `model` (a migration's historical
    model, which has no `refresh_search`) from `fields`, in batches."""
    batch: list[Any] = []
    for row in model._default_manager.only("pk", *fields).iterator(chunk_size=batch_size):
        row.search_text = search.index_text(str(getattr(row, name) or "") for name in fields)  # type: ignore[attr-defined]
        row.search_grams = GRAMS_SEPARATOR.join(search.grams(row.search_text))  # type: ignore[attr-defined]
        batch.append(row)
        if len(batch) >= batch_size:
            model._default_manager.bulk_update(batch, ["search_text", "search_grams"])
            batch = []
    if batch:
        model._default_manager.bulk_update(batch, ["search_text", "search_grams"])
