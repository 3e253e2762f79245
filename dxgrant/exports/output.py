"""A registered list written in one of the formats: the one place the registry meets the writers,
used by the streamed response (views/lists.py) and the background job (tasks.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from . import writers
from .columns import ListExport, Params
from .models import EXTENSIONS, ExportFormat

PROGRESS_EVERY = 500


def filename(export: ListExport, fmt: str) -> str:
    """ASCII, so every browser keeps it: applications-20260401-0930.csv (Japan time)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    suffix = "-sjis" if fmt == ExportFormat.CSV_SJIS else ""
    return f"{export.code}-{stamp}{suffix}.{EXTENSIONS[ExportFormat(fmt)]}"


def content_type(fmt: str) -> str:
    if fmt == ExportFormat.XLSX:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    charset = "shift_jis" if fmt == ExportFormat.CSV_SJIS else "utf-8"
    return f"text/csv; charset={charset}"


def _counted(rows: Iterable[list[Any]], on_progress: Callable[[int], object] | None) -> Iterator[list[Any]]:
    count = 0
    for count, row in enumerate(rows, start=1):
        yield row
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    if on_progress is not None:
        on_progress(count)


def csv_stream(
    export: ListExport,
    fmt: str,
    queryset: QuerySet[Any],
    stats: writers.EncodeStats | None = None,
    params: Params | None = None,
) -> Iterator[bytes]:
    """The CSV chunk by chunk, in the language of the request that asked for it: the chunks are
    made after the view has returned, when the request's language is no longer active, so the
    language is read now and held while they are made."""
    language = translation.get_language() or "ja"
    return _in_language(language, _csv_chunks(export, fmt, queryset, stats, params or {}))


def _csv_chunks(
    export: ListExport, fmt: str, queryset: QuerySet[Any], stats: writers.EncodeStats | None, params: Params
) -> Iterator[bytes]:
    header, rows = export.table(queryset, params)
    yield from writers.csv_chunks(header, rows, shift_jis=fmt == ExportFormat.CSV_SJIS, stats=stats)


def _in_language(language: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    with translation.override(language):
        yield from chunks


def write(
    export: ListExport,
    fmt: str,
    queryset: QuerySet[Any],
    target: IO[bytes],
    *,
    stats: writers.EncodeStats | None = None,
    on_progress: Callable[[int], object] | None = None,
    params: Params | None = None,
) -> None:
    """The whole file into `target` (a temporary file), reporting progress every 500 rows."""
    header, table_rows = export.table(queryset, params or {})
    rows = _counted(table_rows, on_progress)
    if fmt == ExportFormat.XLSX:
        writers.write_xlsx(target, str(export.title), header, rows, stats=stats)
        return
    for chunk in writers.csv_chunks(header, rows, shift_jis=fmt == ExportFormat.CSV_SJIS, stats=stats):
        target.write(chunk)
