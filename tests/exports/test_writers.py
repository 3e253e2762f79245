"""The pure writers: BOM, Shift_JIS with 〓 for what it cannot hold, the formula guard, xlsx read
back with openpyxl, and chunked output."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from dxgrant.exports import writers


def _csv(chunks, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(b"".join(chunks).decode(encoding), newline="")))


def test_utf8_csv_starts_with_a_bom_and_uses_crlf():
    data = b"".join(writers.csv_chunks(["会社名"], [["株式会社テスト"]]))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data == "\ufeff会社名\r\n株式会社テスト\r\n".encode()


def test_shift_jis_round_trips_japanese_including_nec_and_ibm_extensions():
    rows = [["髙橋①㈱ⅰ", "0〜5人", "−100"]]
    stats = writers.EncodeStats()
    data = b"".join(writers.csv_chunks(["名前", "従業員", "金額"], rows, shift_jis=True, stats=stats))
    assert not data.startswith(b"\xef\xbb\xbf")
    # 〜 (U+301C) is written as cp932's wave dash and read back as ～ (U+FF5E), as Excel shows it.
    assert _csv([data], "cp932") == [["名前", "従業員", "金額"], ["髙橋①㈱ⅰ", "0～5人", "－100"]]
    assert stats.replaced == 0 and stats.rows == 1


def test_shift_jis_replaces_what_it_cannot_hold_with_geta_and_counts_it():
    stats = writers.EncodeStats()
    rows = [["吉田"], ["𠮷野家😀"], ["一—二"]]
    data = b"".join(writers.csv_chunks(["店"], rows, shift_jis=True, stats=stats))
    assert _csv([data], "cp932") == [["店"], ["吉田"], ["〓野家〓"], ["一―二"]]
    assert stats.replaced == 2
    assert stats.replaced_rows == [2]


def test_formula_guard_on_text_cells_only():
    rows = [["=1+2", "+81", "-3", "@SUM(A1)", "\tx", "\rx", "普通", -5, "a=b"]]
    out = _csv(writers.csv_chunks(["h"] * 9, rows))[1]
    assert out == ["'=1+2", "'+81", "'-3", "'@SUM(A1)", "'\tx", "'\rx", "普通", "-5", "a=b"]


def test_dates_and_aware_datetimes_in_japan_time():
    when = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)
    out = _csv(writers.csv_chunks(["d", "t", "n"], [[dt.date(2026, 4, 1), when, None]]))[1]
    assert out == ["2026-04-01", "2026-04-01 00:30:00", ""]


def test_csv_comes_in_chunks_not_one_string():
    rows = ([str(i), "あ" * 100] for i in range(2000))
    chunks = list(writers.csv_chunks(["n", "text"], rows))
    assert len(chunks) > 3
    assert max(len(c) for c in chunks) < writers.FLUSH_BYTES + 1000


def test_xlsx_reads_back_with_types_and_no_formulas():
    target = io.BytesIO()
    when = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)
    rows = [['=HYPERLINK("x")', 1200000, dt.date(2026, 4, 1), when, None, "制御\x01文字"]]
    stats = writers.EncodeStats()
    writers.write_xlsx(target, "申請一覧", ["式", "金額", "日", "日時", "空", "文字"], rows, stats=stats)
    target.seek(0)
    sheet = load_workbook(target).active
    assert sheet.title == "申請一覧"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["式", "金額", "日", "日時", "空", "文字"]
    formula, amount, day, stamp, blank, text = values[1]
    assert formula == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"
    assert amount == 1200000
    assert day.date() == dt.date(2026, 4, 1)
    assert stamp == when.astimezone(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert blank is None or blank == ""
    assert text == "制御\ufffd文字"
    assert stats.rows == 1


def test_xlsx_dates_are_dates_and_datetimes_keep_their_time():
    """A date (a due date) is a date cell shown without a time; a datetime keeps its time.
    (Excel stores both as serial numbers, so openpyxl reads a date back as midnight: the
    number format is what tells them apart.)"""
    target = io.BytesIO()
    when = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)
    writers.write_xlsx(target, "t", ["日", "日時"], [[dt.date(2026, 4, 1), when]])
    target.seek(0)
    sheet = load_workbook(target).active
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].is_date and "h" in sheet["B2"].number_format
