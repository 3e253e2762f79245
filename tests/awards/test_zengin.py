"""The 全銀 総合振込 file: written, then read back byte by byte at the layout's offsets."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxgrant.awards import zengin
from dxgrant.awards.instalment_split import Share, split
from dxgrant.japan.kana import ZENGIN_ALLOWED

HEADER = zengin.Header(
    requester_code="1234567890",
    requester_name="ｼﾔ)DXｽｲｼﾝｷﾖｳｶｲ",
    transfer_mmdd="0415",
    bank_code="0001",
    bank_name="ﾐｽﾞﾎ",
    branch_code="001",
    branch_name="ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ",
    account_type="1",
    account_number="1234567",
)
YAMADA = zengin.Data(
    bank_code="0005",
    bank_name="ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ",
    branch_code="123",
    branch_name="ｼﾝｼﾞﾕｸ",
    account_type="1",
    account_number="7654321",
    payee_name="ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ",
    amount=1_500_000,
    customer_code1=42,
)
SATO = dataclasses.replace(
    YAMADA, bank_code="0009", account_type="2", account_number="0000012", payee_name="ｻﾄｳ ﾊﾅｺ", amount=7
)


def _field(line: bytes, start: int, end: int) -> str:
    """Bytes ``start``..``end`` (1-based, inclusive, as the bank's layout says), decoded."""
    return line[start - 1 : end].decode("shift_jis")


def test_every_record_is_120_shift_jis_bytes_joined_by_crlf():
    content = zengin.write(zengin.build(HEADER, [YAMADA, SATO]))
    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert [len(line) for line in lines] == [120] * 5
    assert len(content) == 5 * 122
    # Half-width kana are single bytes in Shift_JIS (0xA1-0xDF), never two.
    assert "ﾔ".encode("shift_jis") == b"\xd4"
    assert b"\xd4\xcf\xc0\xde" in lines[1]  # ﾔﾏﾀﾞ


def test_the_file_read_back_field_by_field():
    header, data, second, trailer, end = zengin.write(zengin.build(HEADER, [YAMADA, SATO])).split(b"\r\n")[
        :-1
    ]
    assert _field(header, 1, 1) == "1"
    assert _field(header, 2, 3) == "21"
    assert _field(header, 4, 4) == "0"
    assert _field(header, 5, 14) == "1234567890"
    assert _field(header, 15, 54) == "ｼﾔ)DXｽｲｼﾝｷﾖｳｶｲ".ljust(40)
    assert _field(header, 55, 58) == "0415"
    assert _field(header, 59, 62) == "0001"
    assert _field(header, 63, 77) == "ﾐｽﾞﾎ".ljust(15)
    assert _field(header, 78, 80) == "001"
    assert _field(header, 81, 95) == "ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ".ljust(15)
    assert _field(header, 96, 96) == "1"
    assert _field(header, 97, 103) == "1234567"
    assert _field(header, 104, 120) == " " * 17

    assert _field(data, 1, 1) == "2"
    assert _field(data, 2, 5) == "0005"
    assert _field(data, 6, 20) == YAMADA.bank_name.ljust(15)
    assert _field(data, 21, 23) == "123"
    assert _field(data, 24, 38) == "ｼﾝｼﾞﾕｸ".ljust(15)
    assert _field(data, 39, 42) == "0000"
    assert _field(data, 43, 43) == "1"
    assert _field(data, 44, 50) == "7654321"
    assert _field(data, 51, 80) == "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ".ljust(30)
    assert _field(data, 81, 90) == "0001500000"
    assert _field(data, 91, 91) == "0"
    assert _field(data, 92, 101) == "0000000042"
    assert _field(data, 102, 111) == "0000000000"
    assert _field(data, 112, 112) == "7"
    assert _field(data, 113, 120) == " " * 8
    assert _field(second, 43, 50) == "20000012"
    assert _field(second, 81, 90) == "0000000007"

    assert _field(trailer, 1, 1) == "8"
    assert _field(trailer, 2, 7) == "000002"
    assert _field(trailer, 8, 19) == "000001500007"
    assert _field(trailer, 20, 120) == " " * 101
    assert _field(end, 1, 1) == "9"
    assert _field(end, 2, 120) == " " * 119


def test_reading_gives_back_the_records_with_or_without_line_breaks():
    transfer_file = zengin.build(HEADER, [YAMADA, SATO])
    content = zengin.write(transfer_file)
    assert zengin.read(content) == transfer_file
    assert zengin.read(content.replace(b"\r\n", b"")) == transfer_file


def test_the_trailer_must_add_up():
    wrong = dataclasses.replace(zengin.build(HEADER, [YAMADA]), trailer=zengin.Trailer(count=1, total=1))
    with pytest.raises(zengin.ZenginError) as refused:
        zengin.write(wrong)
    assert refused.value.field == "trailer"
    content = zengin.write(zengin.build(HEADER, [YAMADA])).split(b"\r\n")
    content[2] = b"8000001000001500001" + b" " * 101
    with pytest.raises(zengin.ZenginError, match="トレーラ"):
        zengin.read(b"\r\n".join(content))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"payee_name": "山田製作所"}, "payee_name", "受取人名"),
        ({"payee_name": "ｶ)ﾔﾏﾀﾞ&ｻﾝ"}, "payee_name", "「&」"),
        ({"payee_name": "ｱ" * 31}, "payee_name", "30文字"),
        ({"branch_name": "ﾔﾏﾀﾞ "}, "branch_name", "空白"),
        ({"bank_code": "5"}, "bank_code", "4桁"),
        ({"account_number": "12345678"}, "account_number", "7桁"),
        ({"account_type": "3"}, "account_type", "預金種目"),
        ({"amount": 0}, "amount", "1円"),
        ({"amount": 10_000_000_000}, "amount", "10桁"),
    ],
)
def test_a_value_a_bank_would_refuse_is_refused_with_the_field_named(change, field, words):
    with pytest.raises(zengin.ZenginError) as refused:
        zengin.write(zengin.build(HEADER, [dataclasses.replace(YAMADA, **change)]))
    assert refused.value.field == field
    assert words in str(refused.value)


def test_a_header_with_a_name_outside_the_zengin_set_is_refused():
    with pytest.raises(zengin.ZenginError) as refused:
        zengin.write(zengin.build(dataclasses.replace(HEADER, requester_name="DX推進協会"), [YAMADA]))
    assert refused.value.field == "requester_name"
    assert "振込依頼人名" in str(refused.value)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda lines: [lines[1], lines[0], *lines[2:]], "並び"),
        (lambda lines: [lines[0][:119], *lines[1:]], "120バイト"),
        (lambda lines: [lines[0].replace(b"121", b"111", 1), *lines[1:]], "種別コード"),
        (lambda lines: [lines[0], lines[1][:80] + b"00015X0000" + lines[1][90:], *lines[2:]], "数字"),
    ],
)
def test_a_damaged_file_is_refused_when_read(damage, words):
    lines = zengin.write(zengin.build(HEADER, [YAMADA])).split(b"\r\n")[:-1]
    damaged = damage(lines)
    with pytest.raises(zengin.ZenginError, match=words):
        zengin.read(b"\r\n".join(damaged) + b"\r\n")


def test_a_file_with_no_transfers_is_well_formed():
    transfer_file = zengin.build(HEADER, [])
    assert transfer_file.trailer == zengin.Trailer(count=0, total=0)
    assert zengin.read(zengin.write(transfer_file)) == transfer_file


_ZENGIN_CHARS = sorted(ZENGIN_ALLOWED)


def _text(width: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(_ZENGIN_CHARS), max_size=width).map(lambda s: s.strip(" "))


def _digits(width: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=width, max_size=width)


_data = st.builds(
    zengin.Data,
    bank_code=_digits(4),
    bank_name=_text(15),
    branch_code=_digits(3),
    branch_name=_text(15),
    account_type=st.sampled_from(["1", "2", "4", "9"]),
    account_number=_digits(7),
    payee_name=_text(30),
    amount=st.integers(1, 9_999_999_999),
    customer_code1=st.integers(0, 9_999_999_999),
    customer_code2=st.integers(0, 9_999_999_999),
    new_code=st.sampled_from(["0", "1", "2"]),
    transfer_kind=st.sampled_from(["7", "8"]),
)
_header = st.builds(
    zengin.Header,
    requester_code=_digits(10),
    requester_name=_text(40),
    transfer_mmdd=st.builds(zengin.mmdd, st.integers(1, 12), st.integers(1, 28)),
    bank_code=_digits(4),
    bank_name=_text(15),
    branch_code=_digits(3),
    branch_name=_text(15),
    account_type=st.sampled_from(["1", "2", "9"]),
    account_number=_digits(7),
)


@settings(max_examples=200, deadline=None)
@given(header=_header, data=st.lists(_data, max_size=12))
def test_write_then_read_is_the_identity_for_any_valid_transfers(header, data):
    transfer_file = zengin.build(header, data)
    content = zengin.write(transfer_file)
    assert len(content) == 122 * (len(data) + 3)
    assert zengin.read(content) == transfer_file


# --- the instalment split ---


def test_the_last_instalment_takes_what_rounding_leaves():
    assert split(1_000_001, [Share("first", 30), Share("rest", 70)]) == [
        ("first", 300_000),
        ("rest", 700_001),
    ]
    assert split(100, [Share("a", 33), Share("b", 33), Share("c", 34)]) == [("a", 33), ("b", 33), ("c", 34)]
    assert split(10, [Share("a", 33), Share("b", 33), Share("c", 34)]) == [("a", 3), ("b", 3), ("c", 4)]
    assert split(5_000_000, [Share("full", 100)]) == [("full", 5_000_000)]


def test_shares_that_do_not_make_a_whole_are_refused():
    with pytest.raises(ValueError, match="100"):
        split(100, [Share("a", 50), Share("b", 40)])
    with pytest.raises(ValueError, match="at least one"):
        split(100, [])


@st.composite
def _shares(draw: st.DrawFn) -> list[Share]:
    cuts = sorted(draw(st.lists(st.integers(1, 99), unique=True, max_size=5)))
    bounds = [0, *cuts, 100]
    return [Share(f"i{n}", high - low) for n, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False))]


@given(amount=st.integers(0, 10**12), shares=_shares())
def test_the_instalments_add_up_to_the_amount_exactly(amount, shares):
    amounts = split(amount, shares)
    assert sum(yen for _, yen in amounts) == amount
    assert [code for code, _ in amounts] == [share.code for share in shares]
    for (_, yen), share in zip(amounts[:-1], shares[:-1], strict=True):
        assert yen == amount * share.share_percent // 100
    assert amounts[-1][1] >= amount * shares[-1].share_percent // 100
