"""Memory stays flat whatever the row count: the writers hold one flush of CSV (64 KB) or one row
of xlsx (openpyxl write-only), never the rows. Peak Python memory (tracemalloc) at ten times the
rows must stay within a small margin of the smaller run's; a writer that kept its rows (a list,
a StringIO never emptied, openpyxl's normal mode) grows with them and fails here. The whole
background path over the database is measured by bench/exports.py (docs/benchmarks.md)."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from collections.abc import Callable, Iterator
from typing import IO, Any

import pytest

from dxgrant.exports import writers

HEADER = ["申請ID", "受付番号", "会社名・屋号", "フリガナ", "都道府県", "従業員数", "提出日時"]
STAMP = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)


def _rows(count: int) -> Iterator[list[Any]]:
    for i in range(count):
        yield [
            i,
            f"DX-2026-{i:06d}",
            f"株式会社テスト製作所{i}",
            "テストセイサクショ",
            "東京都",
            i % 300,
            STAMP,
        ]


class _Sink:
    """A file that keeps nothing (a real temporary file's pages are not Python memory anyway)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def _peak(write: Callable[[int], object], count: int) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        write(count)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _csv(shift_jis: bool) -> Callable[[int], object]:
    def write(count: int) -> int:
        sink = _Sink()
        for chunk in writers.csv_chunks(
            HEADER, _rows(count), shift_jis=shift_jis, stats=writers.EncodeStats()
        ):
            sink.write(chunk)
        return sink.size

    return write


def _xlsx(count: int, target: IO[bytes]) -> None:
    writers.write_xlsx(target, "申請一覧", HEADER, _rows(count))


@pytest.mark.parametrize("shift_jis", [False, True])
def test_csv_peak_memory_is_flat_from_5000_to_50000_rows(shift_jis):
    small = _peak(_csv(shift_jis), 5_000)
    large = _peak(_csv(shift_jis), 50_000)
    assert large < small * 1.25 + 64 * 1024, (small, large)


def test_xlsx_peak_memory_is_flat_from_2000_to_20000_rows(tmp_path):
    def write(count: int) -> None:
        with (tmp_path / f"{count}.xlsx").open("wb") as target:
            _xlsx(count, target)

    small = _peak(write, 2_000)
    large = _peak(write, 20_000)
    assert large < small * 1.25 + 256 * 1024, (small, large)


def test_a_writer_that_kept_its_rows_would_fail_here():
    """The measure can fail: the same rows held in a list grow ten times."""
    small = _peak(lambda n: list(_rows(n)), 5_000)
    large = _peak(lambda n: list(_rows(n)), 50_000)
    assert large > small * 5
