"""Tests for dxgrant.japan.search: one normalisation for the stored text and the query."""

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.japan import search


def test_the_ways_people_type_one_name_meet() -> None:
    same = {"ｹﾔｷ", "ケヤキ", "けやき", "ｹ ﾔ ｷ", "ケ・ヤ・キ"}
    assert {search.normalise(text) for text in same} == {"ケヤキ"}


def test_readings_with_small_kana_and_long_vowels_meet() -> None:
    assert search.normalise("キャノン") == search.normalise("キヤノン") == search.normalise("きゃのん")
    assert search.normalise("コンピューター") == search.normalise("コンピュータ")
    assert search.normalise("霞ヶ関") == search.normalise("霞ケ関")
    assert search.normalise("ｼｮｳｼﾞ") == search.normalise("ショウジ")


def test_numbers_lose_their_hyphens_and_width() -> None:
    assert search.normalise("ＤＸ－２０２６－０００００２") == "dx2026000002"
    assert search.normalise("DX-2026-000002") == "dx2026000002"
    assert search.normalise("1234-5678-90123") == "1234567890123"
    assert search.normalise("１２３４ ５６７８ ９０１２３") == "1234567890123"


def test_latin_is_folded_to_lower_case_and_variant_kanji_to_the_common_one() -> None:
    assert search.normalise("ＡＢＣ Tech") == "abctech"
    assert search.normalise("髙橋") == search.normalise("高橋")
    assert search.normalise("山﨑") == search.normalise("山崎")


def test_a_query_is_split_into_terms() -> None:
    assert search.terms("  さくら　電機 ") == ["サクラ", "電機"]
    assert search.terms("ー ・ -") == []
    assert search.terms("さくら サクラ") == ["サクラ"]


def test_index_text_keeps_fields_apart() -> None:
    text = search.index_text(["株式会社さくら電機", "サクラデンキ", "", None, "DX-2026-000002"])
    assert text == "株式会社サクラ電機 サクラデンキ dx2026000002"
    assert "キサ" not in search.grams(text)  # no piece spans two fields


def test_grams_of_a_term_are_grams_of_every_text_containing_it() -> None:
    text = search.index_text(["株式会社さくら電機", "DX-2026-000002"])
    stored = set(search.grams(text))
    for typed in ["さくら", "電", "機", "000002", "ｻｸﾗ電機", "株式", "dx"]:
        for term in search.terms(typed):
            assert term in text
            assert set(search.query_grams(term)) <= stored


@given(st.text(max_size=30))
def test_normalise_is_idempotent(text: str) -> None:
    once = search.normalise(text)
    assert search.normalise(once) == once
    assert search.SEPARATOR not in once


@given(st.text(max_size=20), st.text(max_size=20), st.text(max_size=20))
def test_a_substring_of_a_stored_field_is_always_found(before: str, middle: str, after: str) -> None:
    """Whatever is typed, if its normalised form is in the stored text its grams are too."""
    text = search.index_text([before + middle + after])
    stored = set(search.grams(text))
    for term in search.terms(middle):
        if term in text:
            assert set(search.query_grams(term)) <= stored
