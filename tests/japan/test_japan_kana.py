"""Tests for dxgrant.japan.kana (全銀 character conversion)."""

import re

import jaconv
import pytest
from hypothesis import given
from hypothesis import strategies as st
from zengin_code import Bank  # type: ignore[import-untyped]

from dxgrant.japan import kana

KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30F7))  # ァ..ヶ plus ヴ
HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097))  # ぁ..ゖ
ASCII_OK = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789().-/ "
FULLWIDTH_ASCII_OK = "".join(chr(ord(c) + 0xFEE0) for c in ASCII_OK.strip()) + "\u3000"
convertible = st.text(alphabet=KATAKANA + HIRAGANA + ASCII_OK + FULLWIDTH_ASCII_OK + "ー・ｰ", max_size=30)
SMALL_HALFWIDTH = set("ｧｨｩｪｫｬｭｮｯｦｰ")


def test_allowed_set() -> None:
    expected = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ().-/ ﾞﾟ")
    expected |= {chr(c) for c in range(ord("ｱ"), ord("ﾝ") + 1)}
    assert kana.ZENGIN_ALLOWED == expected
    assert len(kana.ZENGIN_ALLOWED) == 89
    assert not SMALL_HALFWIDTH & kana.ZENGIN_ALLOWED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("やまだ　はなこ", "ﾔﾏﾀﾞ ﾊﾅｺ"),
        ("パン", "ﾊﾟﾝ"),
        ("ヴァイオリン", "ｳﾞｱｲｵﾘﾝ"),
        ("キャッシュ", "ｷﾔﾂｼﾕ"),
        ("ァィゥェォッャュョヮヵヶ", "ｱｲｳｴｵﾂﾔﾕﾖﾜｶｹ"),
        ("ぁっゃゎゕゖ", "ｱﾂﾔﾜｶｹ"),
        ("ｷｬｯﾁ", "ｷﾔﾂﾁ"),
        ("ヲ", "ｵ"),
        ("コーヒー", "ｺ-ﾋ-"),
        ("ｺｰﾋｰ", "ｺ-ﾋ-"),
        ("abc Def", "ABC DEF"),
        ("ＡＢＣ１２３（）．－／", "ABC123().-/"),
        ("ジョン・スミス", "ｼﾞﾖﾝ.ｽﾐｽ"),
        ("カ\u3099", "ｶﾞ"),
        ("ミツビシユ－エフジエイ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"),
        ("", ""),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert kana.to_zengin(text) == expected


@pytest.mark.parametrize(
    ("text", "char", "position"),
    [
        ("漢", "漢", 1),
        ("ヤマダ商店", "商", 4),
        ("A&B", "&", 2),
        ("ヽ", "ヽ", 1),
        ("ab\tc", "\t", 3),
    ],
)
def test_unconvertible_raises_naming_char(text: str, char: str, position: int) -> None:
    with pytest.raises(ValueError, match=re.escape(f"'{char}' (位置 {position})")):
        kana.to_zengin(text)


@given(convertible)
def test_output_is_zengin_and_idempotent(text: str) -> None:
    out = kana.to_zengin(text)
    assert kana.is_zengin(out)
    assert set(out) <= kana.ZENGIN_ALLOWED
    assert kana.to_zengin(out) == out
    assert len(out) >= len(text)


@given(st.text(max_size=20))
def test_any_text_converts_or_names_the_bad_char(text: str) -> None:
    try:
        out = kana.to_zengin(text)
    except ValueError as exc:
        match = re.search(r"'(.)' \(位置 ([0-9]+)\)$", str(exc), re.DOTALL)
        assert match is not None
        position = int(match[2])
        assert text[position - 1] == match[1]
        kana.to_zengin(text[: position - 1])  # everything before it converts
    else:
        assert kana.is_zengin(out)
        assert kana.to_zengin(out) == out


@given(st.text(alphabet=sorted(kana.ZENGIN_ALLOWED), max_size=30))
def test_zengin_text_is_unchanged(text: str) -> None:
    assert kana.is_zengin(text)
    assert kana.to_zengin(text) == text


@given(st.text(alphabet=HIRAGANA, max_size=20))
def test_hiragana_katakana_halfwidth_agree(text: str) -> None:
    katakana = jaconv.hira2kata(text)
    expected = kana.to_zengin(katakana)
    assert kana.to_zengin(text) == expected
    assert kana.to_zengin(jaconv.z2h(katakana, kana=True)) == expected


def test_all_zengin_code_kana_convert() -> None:
    names = [bank.kana for bank in Bank.all.values()]
    names += [branch.kana for bank in Bank.all.values() for branch in bank.branches.values()]
    assert len(names) > 10000
    for name in names:
        assert kana.is_zengin(kana.to_zengin(name))


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("カブシキガイシャ ヤマダ", "ｶ)ﾔﾏﾀﾞ", True),
        ("ヤマダ カブシキガイシャ", "ﾔﾏﾀﾞ(ｶ", True),
        ("ヤマダ カブシキガイシャ", "ﾔﾏﾀﾞ(ｶ)", True),
        ("(ｶ)ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ", True),
        ("ヤマダカブシキガイシャシテン", "ﾔﾏﾀﾞ(ｶ)ｼﾃﾝ", True),
        ("イッパンシャダンホウジン ミライ", "ｼﾔ)ﾐﾗｲ", True),
        ("ゴウドウガイシャ ミライ", "ﾄﾞ)ﾐﾗｲ", True),
        ("トクテイヒエイリカツドウホウジン ミライ", "ﾄｸﾋ)ﾐﾗｲ", True),
        ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", True),
        ("ヤマダ タロウ", "ﾔﾏﾀﾞﾀﾛｳ", True),
        ("ｶ)ﾔﾏﾀﾞ", "ﾔﾏﾀﾞ(ｶ", False),  # 前株 vs 後株
        ("ｶ)ﾔﾏﾀﾞ", "ﾕ)ﾔﾏﾀﾞ", False),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ｼﾞﾛｳ", False),
        ("ｶ)ﾔﾏﾀﾞ", "ﾔﾏﾀﾞ", False),
    ],
)
def test_payee_examples(a: str, b: str, equal: bool) -> None:
    assert kana.kana_equal_for_payee(a, b) is equal
    assert kana.kana_equal_for_payee(b, a) is equal


@given(convertible, convertible)
def test_payee_reflexive_symmetric_and_space_insensitive(a: str, b: str) -> None:
    assert kana.kana_equal_for_payee(a, a)
    assert kana.kana_equal_for_payee(a, b) == kana.kana_equal_for_payee(b, a)
    assert kana.kana_equal_for_payee(a, " ".join(a))
    assert kana.payee_key(kana.to_zengin(a)) == kana.payee_key(a)


def test_payee_raises_for_kanji() -> None:
    with pytest.raises(ValueError, match="株"):
        kana.kana_equal_for_payee("株式会社ヤマダ", "ｶ)ﾔﾏﾀﾞ")
