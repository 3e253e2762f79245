"""The payee account's rules with real names: the number and holder as people type them, and
whether the holder is the company itself."""

from __future__ import annotations

import datetime as dt

import pytest

from dxgrant.awards import payee_rules
from dxgrant.japan.kana import kana_equal_for_payee

YAMADA = {
    "company_kana": "ヤマダセイサクショ",
    "company_name": "株式会社ヤマダ製作所",
    "legal_form": "株式会社",
}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1234567", "1234567"), ("１２３４５６７", "1234567"), ("123 4567", "1234567"), ("0012345", "0012345")],
)
def test_account_number_normalised(typed, stored):
    assert payee_rules.account_number(typed) == stored


@pytest.mark.parametrize("typed", ["", "123456", "12345678", "12345a7", "一二三四五六七", "١٢٣٤٥٦٧"])
def test_account_number_refused(typed):
    with pytest.raises(ValueError, match="口座番号"):
        payee_rules.account_number(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"),
        ("カ）ヤマダセイサクショ", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"),
        ("か）やまだせいさくしょ", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"),
        ("  ヤマダ　　タロウ ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("ガッコウホウジン　ヤマダガクエン", "ｶﾞｸ)ﾔﾏﾀﾞｶﾞｸｴﾝ"),
        ("かぶしきがいしゃ やまだせいさくしょ", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"),
        ("ヤマダセイサクショ　カブシキガイシャ", "ﾔﾏﾀﾞｾｲｻｸｼﾖ(ｶ"),
        ("(カ)ヤマダセイサクショ", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"),
    ],
)
def test_holder_normalised_to_zengin(typed, stored):
    assert payee_rules.holder_kana(typed) == stored


def test_holder_with_kanji_is_refused_naming_the_character():
    with pytest.raises(ValueError, match="「山」"):
        payee_rules.holder_kana("カ）山田製作所")


def test_holder_longer_than_a_transfer_record_is_refused():
    assert payee_rules.holder_kana("カブシキガイシャ" + "ア" * 28) == "ｶ)" + "ｱ" * 28
    with pytest.raises(ValueError, match="30"):
        payee_rules.holder_kana("カブシキガイシャ" + "ア" * 29)


@pytest.mark.parametrize(
    "holder",
    [
        "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ",
        "カ）ヤマダセイサクショ",
        "(カ)ヤマダセイサクショ",
        "（カ）ヤマダ　セイサクショ",
        "かぶしきがいしゃ やまだせいさくしょ",
        "カブシキガイシャヤマダセイサクショ",
    ],
)
def test_the_company_itself_matches(holder):
    assert payee_rules.holder_is_company(holder, **YAMADA)


@pytest.mark.parametrize(
    "holder",
    [
        "ﾔﾏﾀﾞｾｲｻｸｼﾖ",  # no legal form: could be anyone's trade name
        "ﾔﾏﾀﾞｾｲｻｸｼﾖ(ｶ",  # 後株, but the company is 前株
        "ﾕ)ﾔﾏﾀﾞｾｲｻｸｼﾖ",  # another legal form
        "ｶ)ﾔﾏﾀﾞｾｲｻｸ",  # another name
        "ﾔﾏﾀﾞ ﾀﾛｳ",  # the representative in person
        "ｶ)ﾁﾕｳｶｸｼｴﾝ",  # the advisor's firm
        "山田製作所",  # not kana at all
    ],
)
def test_anyone_else_does_not(holder):
    assert not payee_rules.holder_is_company(holder, **YAMADA)


def test_after_form_company():
    after = {
        "company_kana": "ヤマダセイサクショ",
        "company_name": "ヤマダ製作所株式会社",
        "legal_form": "株式会社",
    }
    assert payee_rules.holder_is_company("ﾔﾏﾀﾞｾｲｻｸｼﾖ(ｶ", **after)
    assert payee_rules.holder_is_company("ヤマダセイサクショ（カ", **after)
    assert payee_rules.holder_is_company("ヤマダセイサクショ カブシキガイシャ", **after)
    assert not payee_rules.holder_is_company("ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ", **after)


def test_other_legal_forms():
    godo = {"company_kana": "ミライラボ", "company_name": "合同会社ミライラボ", "legal_form": "合同会社"}
    assert payee_rules.holder_is_company("ﾄﾞ)ﾐﾗｲﾗﾎﾞ", **godo)
    assert payee_rules.holder_is_company("ゴウドウガイシャ　ミライラボ", **godo)
    assert not payee_rules.holder_is_company("ｶ)ﾐﾗｲﾗﾎﾞ", **godo)
    yugen = {"company_kana": "サトウショウテン", "company_name": "有限会社佐藤商店", "legal_form": "有限会社"}
    assert payee_rules.holder_is_company("ﾕ)ｻﾄｳｼﾖｳﾃﾝ", **yugen)


def test_kana_name_that_spells_out_the_form_and_a_sole_proprietor():
    spelled = {
        "company_kana": "カブシキガイシャ ヤマダ",
        "company_name": "株式会社ヤマダ",
        "legal_form": "株式会社",
    }
    assert payee_rules.holder_is_company("ｶ)ﾔﾏﾀﾞ", **spelled)
    sole = {"company_kana": "ヤマダ　タロウ", "company_name": "山田太郎", "legal_form": ""}
    assert payee_rules.holder_is_company("ﾔﾏﾀﾞ ﾀﾛｳ", **sole)
    assert not payee_rules.holder_is_company("ｶ)ﾔﾏﾀﾞﾀﾛｳ", **sole)


def test_without_a_kana_name_nothing_matches():
    assert not payee_rules.holder_is_company(
        "ｶ)ﾔﾏﾀﾞ", company_kana="", company_name="株式会社ヤマダ", legal_form="株式会社"
    )


def test_kana_equal_for_payee_real_cases():
    """The helper the rule builds on (japan.kana), held to the bank's forms."""
    assert kana_equal_for_payee("カブシキガイシャ ヤマダセイサクショ", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ")
    assert kana_equal_for_payee("ヤマダセイサクショ カブシキガイシャ", "ﾔﾏﾀﾞｾｲｻｸｼﾖ(ｶ")
    assert kana_equal_for_payee("(ｶ)ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ")
    assert not kana_equal_for_payee("ｶ)ﾔﾏﾀﾞ", "ﾔﾏﾀﾞ(ｶ")


def test_acceptance_last_day_does_not_count_the_first_day():
    assert payee_rules.acceptance_last_day(dt.date(2026, 4, 1), 30) == dt.date(2026, 5, 1)
    assert payee_rules.acceptance_last_day(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
