"""The 全銀 総合振込 file (Zengin general transfer, type code 21): writer and reader. No database.

A file is a header record (データ区分 1), one data record (2) per transfer, a trailer (8) and an
end record (9). Each record is exactly 120 bytes in Shift_JIS (コード区分 0, "JIS": half-width kana
are single bytes), and records are joined by CRLF, the option every bank we know of accepts for
uploads and uses for its own downloads (122 bytes a line with the line break; the file also ends
with CRLF). The reader accepts the same with or without line breaks.

Numbers (N) are right-aligned and padded with zeros; text (C) is left-aligned and padded with
spaces, and must be 全銀 characters (``japan.kana.is_zengin``): anything else is refused with the
field named, never silently replaced. Codes (bank, branch, account number, operator code) must have
exactly their width in digits, so that what is read back is what was written.

The layout (全銀協制定ファイルフォーマット 総合振込; positions are 1-based bytes, inclusive):

Header (ヘッダー・レコード)
    ====  =====  ==  ====================================  =========================
    pos   width  N/C field                                 here
    ====  =====  ==  ====================================  =========================
    1     1      N   データ区分                            "1"
    2-3   2      N   種別コード                            "21" (総合振込)
    4     1      N   コード区分                            "0" (JIS / Shift_JIS)
    5-14  10     N   振込依頼人コード                      requester_code
    15-54 40     C   振込依頼人名                          requester_name
    55-58 4      N   振込指定日 (MMDD)                     transfer_mmdd
    59-62 4      N   仕向銀行番号                          bank_code
    63-77 15     C   仕向銀行名                            bank_name
    78-80 3      N   仕向支店番号                          branch_code
    81-95 15     C   仕向支店名                            branch_name
    96    1      N   預金種目 (依頼人)                     account_type
    97-103 7     N   口座番号 (依頼人)                     account_number
    104-120 17   C   ダミー                                spaces
    ====  =====  ==  ====================================  =========================

Data (データ・レコード)
    ========  =====  ==  ==========================  ==============================
    1         1      N   データ区分                  "2"
    2-5       4      N   被仕向銀行番号              bank_code
    6-20      15     C   被仕向銀行名                bank_name
    21-23     3      N   被仕向支店番号              branch_code
    24-38     15     C   被仕向支店名                branch_name
    39-42     4      N   手形交換所番号              "0000" (unused)
    43        1      N   預金種目                    account_type (1 普通, 2 当座, 4 貯蓄, 9)
    44-50     7      N   口座番号                    account_number
    51-80     30     C   受取人名                    payee_name
    81-90     10     N   振込金額                    amount
    91        1      N   新規コード                  new_code ("0")
    92-101    10     N   顧客コード1                 customer_code1 (our transfer number)
    102-111   10     N   顧客コード2                 customer_code2
    112       1      N   振込指定区分                transfer_kind ("7" 電信, "8" 文書)
    113       1      C   識別表示                    space (no EDI information)
    114-120   7      C   ダミー                      spaces
    ========  =====  ==  ==========================  ==============================

Trailer (トレーラ・レコード): 1 "8"; 2-7 N(6) 合計件数 count; 8-19 N(12) 合計金額 total;
20-120 C(101) ダミー. End (エンド・レコード): 1 "9"; 2-120 C(119) ダミー.

The bank's result file (the same file returned with a 振込結果コード in byte 114 of each data
record) is read by ``zengin_results.read_results``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.japan.kana import is_zengin

__all__ = [
    "RECORD_BYTES",
    "Data",
    "End",
    "Header",
    "Trailer",
    "TransferFile",
    "ZenginError",
    "read",
    "write",
]

RECORD_BYTES = 120
_DIGITS = re.compile(r"[0-9]+")
ENCODING = "shift_jis"
NEWLINE = b"\r\n"
TYPE_CODE = "21"
CODE_DIVISION = "0"


class ZenginError(ValueError):
    """A value that cannot go into (or a file that is not) a 全銀 総合振込 file. ``field`` names it."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Spec:
    """One field of a record: its attribute, 1-based start byte, width, kind and label.

    Kinds: ``code`` digits of exactly the width (kept as text: leading zeros matter); ``int`` a
    number zero-padded on the left; ``text`` 全銀 characters, space-padded on the right;
    ``fixed`` a constant (``value``) the reader checks; ``blank`` spaces.
    """

    name: str
    start: int
    width: int
    kind: str
    label: Any
    value: str = ""


def _layout(*specs: Spec) -> tuple[Spec, ...]:
    """Check at import that the fields tile the 120 bytes with no gap or overlap."""
    position = 1
    for spec in specs:
        assert spec.start == position, f"{spec.name} starts at {spec.start}, expected {position}"
        position += spec.width
    assert position == RECORD_BYTES + 1, f"record ends at {position - 1}"
    return specs


HEADER_LAYOUT = _layout(
    Spec("", 1, 1, "fixed", gettext_lazy("データ区分"), "1"),
    Spec("", 2, 2, "fixed", gettext_lazy("種別コード"), TYPE_CODE),
    Spec("", 4, 1, "fixed", gettext_lazy("コード区分"), CODE_DIVISION),
    Spec("requester_code", 5, 10, "code", gettext_lazy("振込依頼人コード")),
    Spec("requester_name", 15, 40, "text", gettext_lazy("振込依頼人名")),
    Spec("transfer_mmdd", 55, 4, "code", gettext_lazy("振込指定日")),
    Spec("bank_code", 59, 4, "code", gettext_lazy("仕向銀行番号")),
    Spec("bank_name", 63, 15, "text", gettext_lazy("仕向銀行名")),
    Spec("branch_code", 78, 3, "code", gettext_lazy("仕向支店番号")),
    Spec("branch_name", 81, 15, "text", gettext_lazy("仕向支店名")),
    Spec("account_type", 96, 1, "code", gettext_lazy("預金種目（依頼人）")),
    Spec("account_number", 97, 7, "code", gettext_lazy("口座番号（依頼人）")),
    Spec("", 104, 17, "blank", gettext_lazy("ダミー")),
)
DATA_LAYOUT = _layout(
    Spec("", 1, 1, "fixed", gettext_lazy("データ区分"), "2"),
    Spec("bank_code", 2, 4, "code", gettext_lazy("被仕向銀行番号")),
    Spec("bank_name", 6, 15, "text", gettext_lazy("被仕向銀行名")),
    Spec("branch_code", 21, 3, "code", gettext_lazy("被仕向支店番号")),
    Spec("branch_name", 24, 15, "text", gettext_lazy("被仕向支店名")),
    Spec("", 39, 4, "fixed", gettext_lazy("手形交換所番号"), "0000"),
    Spec("account_type", 43, 1, "code", gettext_lazy("預金種目")),
    Spec("account_number", 44, 7, "code", gettext_lazy("口座番号")),
    Spec("payee_name", 51, 30, "text", gettext_lazy("受取人名")),
    Spec("amount", 81, 10, "int", gettext_lazy("振込金額")),
    Spec("new_code", 91, 1, "code", gettext_lazy("新規コード")),
    Spec("customer_code1", 92, 10, "int", gettext_lazy("顧客コード1")),
    Spec("customer_code2", 102, 10, "int", gettext_lazy("顧客コード2")),
    Spec("transfer_kind", 112, 1, "code", gettext_lazy("振込指定区分")),
    Spec("", 113, 1, "blank", gettext_lazy("識別表示")),
    Spec("", 114, 7, "blank", gettext_lazy("ダミー")),
)
TRAILER_LAYOUT = _layout(
    Spec("", 1, 1, "fixed", gettext_lazy("データ区分"), "8"),
    Spec("count", 2, 6, "int", gettext_lazy("合計件数")),
    Spec("total", 8, 12, "int", gettext_lazy("合計金額")),
    Spec("", 20, 101, "blank", gettext_lazy("ダミー")),
)
END_LAYOUT = _layout(
    Spec("", 1, 1, "fixed", gettext_lazy("データ区分"), "9"),
    Spec("", 2, 119, "blank", gettext_lazy("ダミー")),
)

PAYEE_ACCOUNT_TYPES = frozenset({"1", "2", "4", "9"})
REQUESTER_ACCOUNT_TYPES = frozenset({"1", "2", "9"})


@dataclass(frozen=True)
class Header:
    requester_code: str
    requester_name: str
    transfer_mmdd: str
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str

    LAYOUT: ClassVar[tuple[Spec, ...]] = HEADER_LAYOUT


@dataclass(frozen=True)
class Data:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    payee_name: str
    amount: int
    customer_code1: int = 0
    customer_code2: int = 0
    new_code: str = "0"
    transfer_kind: str = "7"

    LAYOUT: ClassVar[tuple[Spec, ...]] = DATA_LAYOUT


@dataclass(frozen=True)
class Trailer:
    count: int
    total: int

    LAYOUT: ClassVar[tuple[Spec, ...]] = TRAILER_LAYOUT


@dataclass(frozen=True)
class End:
    LAYOUT: ClassVar[tuple[Spec, ...]] = END_LAYOUT


@dataclass(frozen=True)
class TransferFile:
    header: Header
    data: tuple[Data, ...]
    trailer: Trailer
    end: End = End()


def mmdd(month: int, day: int) -> str:
    """The 振込指定日 as the header carries it."""
    return f"{month:02d}{day:02d}"


def _refuse(spec: Spec, message: str) -> ZenginError:
    return ZenginError(f"{spec.label}: {message}", field=spec.name)


def _encode_field(spec: Spec, value: object) -> bytes:
    if spec.kind == "fixed":
        return spec.value.encode("ascii")
    if spec.kind == "blank":
        return b" " * spec.width
    if spec.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0 or len(str(value)) > spec.width:
            raise _refuse(spec, _("0以上、%(width)d桁以内の整数にしてください。") % {"width": spec.width})
        return str(value).rjust(spec.width, "0").encode("ascii")
    text = str(value)
    if spec.kind == "code":
        if len(text) != spec.width or not re.fullmatch(r"[0-9]+", text):
            raise _refuse(spec, _("半角数字%(width)d桁にしてください。") % {"width": spec.width})
        return text.encode("ascii")
    if not is_zengin(text):
        bad = next(ch for ch in text if not is_zengin(ch))
        raise _refuse(
            spec,
            _("全銀形式で使えない文字「%(char)s」があります。半角カナ・英大文字・数字で入力してください。")
            % {"char": bad},
        )
    if text != text.strip(" "):
        raise _refuse(spec, _("先頭と末尾に空白を入れないでください。"))
    encoded = text.encode(ENCODING)
    if len(encoded) > spec.width:
        raise _refuse(
            spec,
            _("%(width)d文字を超えています（%(length)d文字）。")
            % {"width": spec.width, "length": len(encoded)},
        )
    return encoded.ljust(spec.width, b" ")


def encode_record(record: Header | Data | Trailer | End) -> bytes:
    """One record, exactly 120 bytes."""
    out = b"".join(_encode_field(spec, getattr(record, spec.name, None)) for spec in record.LAYOUT)
    assert len(out) == RECORD_BYTES
    return out


def decode_record(cls: type[Any], raw: bytes, line: int) -> Any:
    """One record of type `cls` from its 120 bytes; a field not of its kind is refused, naming
    the line and the field."""
    values: dict[str, object] = {}
    for spec in cls.LAYOUT:
        chunk = raw[spec.start - 1 : spec.start - 1 + spec.width]
        try:
            text = chunk.decode(ENCODING)
        except UnicodeDecodeError as exc:
            raise _unreadable(spec, line, _("Shift_JIS として読めません。")) from exc
        if spec.kind == "fixed" and text != spec.value:
            raise _unreadable(
                spec,
                line,
                _("「%(value)s」であるべきところ「%(found)s」です。") % {"value": spec.value, "found": text},
            )
        if spec.kind in ("int", "code") and not _DIGITS.fullmatch(text):
            raise _unreadable(spec, line, _("数字ではありません。"))
        if spec.kind == "int":
            values[spec.name] = int(text)
        elif spec.kind == "code":
            values[spec.name] = text
        elif spec.kind == "text":
            values[spec.name] = text.rstrip(" ")
    return cls(**values)


def _unreadable(spec: Spec, line: int, message: str) -> ZenginError:
    where = _("%(line)d行目 %(label)s") % {"line": line, "label": spec.label}
    return ZenginError(f"{where}: {message}", field=spec.name)


def build(header: Header, data: Iterable[Data]) -> TransferFile:
    """A file with its trailer computed from the data records."""
    records = tuple(data)
    return TransferFile(
        header=header,
        data=records,
        trailer=Trailer(count=len(records), total=sum(record.amount for record in records)),
    )


def check(transfer_file: TransferFile) -> None:
    """Refuse values a bank would refuse, and a trailer that does not add up (ZenginError)."""
    header = transfer_file.header
    if header.account_type not in REQUESTER_ACCOUNT_TYPES:
        raise ZenginError(_("預金種目（依頼人）は 1・2・9 のいずれかです。"), field="account_type")
    month, day = int(header.transfer_mmdd[:2]), int(header.transfer_mmdd[2:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ZenginError(_("振込指定日が月日（MMDD）になっていません。"), field="transfer_mmdd")
    for record in transfer_file.data:
        if record.account_type not in PAYEE_ACCOUNT_TYPES:
            raise ZenginError(_("預金種目は 1・2・4・9 のいずれかです。"), field="account_type")
        if record.amount <= 0:
            raise ZenginError(_("振込金額は1円以上です。"), field="amount")
        if record.transfer_kind not in ("7", "8"):
            raise ZenginError(_("振込指定区分は 7（電信）か 8（文書）です。"), field="transfer_kind")
    trailer = transfer_file.trailer
    if trailer.count != len(transfer_file.data) or trailer.total != sum(r.amount for r in transfer_file.data):
        raise ZenginError(_("トレーラの合計件数・合計金額がデータレコードと一致しません。"), field="trailer")


def write(transfer_file: TransferFile) -> bytes:
    """The file's bytes: every record 120 bytes of Shift_JIS, each followed by CRLF.

    Raises ZenginError naming the field for anything a bank would refuse: a character outside
    the 全銀 set, a name too long, a code of the wrong length, a trailer that does not add up.
    """
    records: list[Header | Data | Trailer | End] = [
        transfer_file.header,
        *transfer_file.data,
        transfer_file.trailer,
        transfer_file.end,
    ]
    content = b"".join(encode_record(record) + NEWLINE for record in records)
    check(transfer_file)
    return content


def _split(content: bytes) -> Sequence[bytes]:
    if NEWLINE in content:
        lines = content.split(NEWLINE)
        if lines and lines[-1] == b"":
            lines.pop()
        return lines
    if len(content) % RECORD_BYTES:
        raise ZenginError(_("ファイルの長さが120バイトの倍数ではありません。"), field="file")
    return [content[i : i + RECORD_BYTES] for i in range(0, len(content), RECORD_BYTES)]


def split_records(content: bytes) -> Sequence[bytes]:
    """The file's records, each exactly 120 bytes, in the order header, data..., trailer, end.

    Refused (ZenginError): a record not 120 bytes, records out of order."""
    lines = _split(content)
    for number, raw in enumerate(lines, start=1):
        if len(raw) != RECORD_BYTES:
            raise ZenginError(
                _("%(line)d行目が120バイトではありません（%(length)dバイト）。")
                % {"line": number, "length": len(raw)},
                field="file",
            )
    kinds = b"".join(raw[:1] for raw in lines)
    if not re.fullmatch(rb"12*89", kinds):
        raise ZenginError(
            _("レコードの並びが ヘッダー・データ…・トレーラ・エンド ではありません。"), field="file"
        )
    return lines


def read(content: bytes) -> TransferFile:
    """Parse a 総合振込 file back into its records; the inverse of :func:`write`.

    Refused (ZenginError): a record not 120 bytes, records out of order (header, data..., trailer,
    end), a field not of its kind, a trailer whose count or total differs from the data records.
    """
    lines = split_records(content)
    header = decode_record(Header, lines[0], 1)
    data = tuple(decode_record(Data, raw, number) for number, raw in enumerate(lines[1:-2], start=2))
    trailer = decode_record(Trailer, lines[-2], len(lines) - 1)
    end = decode_record(End, lines[-1], len(lines))
    transfer_file = TransferFile(header=header, data=data, trailer=trailer, end=end)
    check(transfer_file)
    return transfer_file


def field_names(cls: type[Any]) -> list[str]:
    """The dataclass fields of a record type, for tests and forms."""
    return [item.name for item in fields(cls)]
