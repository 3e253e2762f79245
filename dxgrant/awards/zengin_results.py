"""The bank's result file for a 全銀 総合振込 file we exported: reader. No database.

The bank returns the file we sent (``zengin.write``: header, data records, trailer, end; 120-byte
Shift_JIS records, with or without CRLF) with a result code written into each data record. Every
other byte is what we wrote, so the import can check each record against the transfer it names
(顧客コード1 is our transfer number).

Where the result is: byte 114 of the data record, "振込結果コード", the first byte of the final
7-byte ダミー. 全銀協's 口座振替 result layout carries its 振替結果コード in byte 112, but in the
総合振込 layout byte 112 is 振込指定区分 ("7" 電信 / "8" 文書), which we write and the bank
echoes back, and byte 113 is 識別表示 (EDI); the first byte free in both directions is 114, so
the result goes there and nothing we exported is overwritten. A space there means the bank has
not processed the transfer yet (the import leaves that transfer's result as it is).

The codes follow the 口座振替 convention of 全銀協:

    ====  ==============================
    "0"   振込済 (paid)
    "1"   資金不足
    "2"   取引なし
    "3"   預金者の都合による停止
    "4"   依頼書なし
    "8"   委託者の都合による停止
    "9"   その他
    ====  ==============================

Anything else in byte 114 (another digit, a letter) is refused with the line named, as is any
record the plain reader would refuse (``zengin.decode_record``) and a trailer whose count or total
differs from the data records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import zengin

__all__ = [
    "OK_CODE",
    "RESULT_CODES",
    "RESULT_POSITION",
    "ResultFile",
    "ResultRecord",
    "meaning",
    "read_results",
]

# 1-based byte of the data record that carries the result (see the module docstring).
RESULT_POSITION = 114
NOT_PROCESSED = " "
OK_CODE = "0"
RESULT_CODES: dict[str, Promise] = {
    "0": gettext_lazy("振込済"),
    "1": gettext_lazy("資金不足"),
    "2": gettext_lazy("取引なし"),
    "3": gettext_lazy("預金者の都合による停止"),
    "4": gettext_lazy("依頼書なし"),
    "8": gettext_lazy("委託者の都合による停止"),
    "9": gettext_lazy("その他"),
}
RESULT_LABEL = gettext_lazy("振込結果コード")


@dataclass(frozen=True)
class ResultRecord:
    """One data record of the result file: its line (1-based), the record as exported, and the
    bank's code ("" when the bank has not processed it)."""

    line: int
    data: zengin.Data
    code: str

    @property
    def processed(self) -> bool:
        return self.code != ""

    @property
    def ok(self) -> bool:
        return self.code == OK_CODE


@dataclass(frozen=True)
class ResultFile:
    header: zengin.Header
    records: tuple[ResultRecord, ...]
    trailer: zengin.Trailer


def meaning(code: str) -> str | None:
    """The code's meaning in the current language, or None for a code not in the table (a code
    typed by hand from a bank's own report)."""
    label = RESULT_CODES.get(code)
    return str(label) if label is not None else None


def _result_code(raw: bytes, line: int) -> str:
    byte = raw[RESULT_POSITION - 1 : RESULT_POSITION]
    text = byte.decode("ascii", errors="replace")
    if text == NOT_PROCESSED:
        return ""
    if text not in RESULT_CODES:
        where = _("%(line)d行目 %(label)s") % {"line": line, "label": RESULT_LABEL}
        known = "・".join(RESULT_CODES)
        raise zengin.ZenginError(
            f"{where}: "
            + _("「%(found)s」は結果コードではありません（%(known)s、未処理は空白）。")
            % {"found": text, "known": known},
            field="result_code",
        )
    return text


def read_results(content: bytes) -> ResultFile:
    """Parse the bank's result file. Refused (ZenginError, the line and field named): anything
    ``zengin.read`` refuses, and a result code outside the table."""
    lines = zengin.split_records(content)
    header = zengin.decode_record(zengin.Header, lines[0], 1)
    records = []
    for number, raw in enumerate(lines[1:-2], start=2):
        code = _result_code(raw, number)  # first: a byte that is not Shift_JIS is named as the code
        records.append(
            ResultRecord(line=number, data=zengin.decode_record(zengin.Data, raw, number), code=code)
        )
    trailer = zengin.decode_record(zengin.Trailer, lines[-2], len(lines) - 1)
    zengin.decode_record(zengin.End, lines[-1], len(lines))
    zengin.check(zengin.TransferFile(header=header, data=tuple(r.data for r in records), trailer=trailer))
    return ResultFile(header=header, records=tuple(records), trailer=trailer)
