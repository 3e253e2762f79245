"""Streaming writers for list exports: pure (no database), row by row, so memory stays flat
whatever the row count.

- CSV in UTF-8 with a BOM and CRLF line ends: Excel opens it with the Japanese intact.
- CSV in Shift_JIS, as Excel on Japanese Windows reads it: Python's `cp932` (Microsoft's
  Shift_JIS, with the NEC and IBM extensions: ①, ㈱, 髙 are kept). A character cp932 cannot hold
  (𠮷, emoji, most of the CJK extension planes) is NOT dropped: it becomes 〓 (the geta mark,
  the Japanese printer's sign for a missing glyph), and the number of such characters is counted
  in `EncodeStats` so the person is told (the job page shows it). The em dash (U+2014), which cp932
  spells as the horizontal bar U+2015, is mapped first, as Excel itself does.
- xlsx through openpyxl's write-only mode (rows go to a temporary file, never held in memory).

Formula injection: a text cell starting with = + - @ or a tab or CR would be run by Excel as a
formula (CSV) ; such cells get a leading apostrophe in CSV. In xlsx the cell is written as text
(a string typed cell is never evaluated), so its value is kept as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

GETA = "〓"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOKYO = ZoneInfo("Asia/Tokyo")
CP932_FIXES = str.maketrans({"\u2014": "\u2015"})
FLUSH_BYTES = 64 * 1024


@dataclass
class EncodeStats:
    """What a writer had to change: characters Shift_JIS cannot hold (replaced by 〓), with the
    first few rows (1 = the first data row) they were in."""

    rows: int = 0
    replaced: int = 0
    replaced_rows: list[int] = field(default_factory=list)


def guard_formula(value: str) -> str:
    """A leading apostrophe for text Excel would read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _plain(value: Any) -> Any:
    """Aware datetimes in Japan time without the zone (Excel has no zones); None as blank."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(TOKYO).replace(tzinfo=None)
    return value


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return guard_formula(value)
    return value


def encode_cp932(text: str, stats: EncodeStats | None = None, row: int = 0) -> bytes:
    """`text` in cp932, each character it cannot hold replaced by 〓 and counted."""
    text = text.translate(CP932_FIXES)
    try:
        return text.encode("cp932")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    missing = 0
    for char in text:
        try:
            out += char.encode("cp932")
        except UnicodeEncodeError:
            out += GETA.encode("cp932")
            missing += 1
    if stats is not None and missing:
        stats.replaced += missing
        if len(stats.replaced_rows) < 10:
            stats.replaced_rows.append(row)
    return bytes(out)


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    shift_jis: bool = False,
    stats: EncodeStats | None = None,
) -> Iterator[bytes]:
    """The CSV as byte chunks of about 64 KB: UTF-8 with a BOM, or cp932 (no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    pending: list[bytes] = []
    size = 0

    def take(row_number: int) -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if shift_jis:
            return encode_cp932(text, stats, row_number)
        return text.encode("utf-8")

    writer.writerow([_csv_cell(h) for h in header])
    first = take(0)
    yield first if shift_jis else b"\xef\xbb\xbf" + first
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(v) for v in row])
        chunk = take(count)
        pending.append(chunk)
        size += len(chunk)
        if size >= FLUSH_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
        if stats is not None:
            stats.rows = count
    if pending:
        yield b"".join(pending)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"  # text, never a formula, whatever it starts with
        return cell
    return value


def write_xlsx(
    target: IO[bytes],
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    stats: EncodeStats | None = None,
) -> None:
    """The rows as one sheet (write-only: openpyxl spools them to a temporary file)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "export")
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    for count, row in enumerate(rows, start=1):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        if stats is not None:
            stats.rows = count
    workbook.save(target)
