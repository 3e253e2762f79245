"""Tests for dxgrant.japan.banks (金融機関・支店コード)."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dxgrant.japan import banks

# Random codes rarely name a real branch (about 1 in 300), so real ones are drawn too: without
# them the branch assertions below would almost never run.
KNOWN_BANKS = ["0001", "0005", "0009", "9900"]
KNOWN_BRANCHES = ["001", "019"]
four_digits = st.one_of(st.sampled_from(KNOWN_BANKS), st.text(alphabet="0123456789", min_size=4, max_size=4))
three_digits = st.one_of(
    st.sampled_from(KNOWN_BRANCHES), st.text(alphabet="0123456789", min_size=3, max_size=3)
)


def test_mizuho() -> None:
    assert banks.bank_name("0001") == "みずほ"
    assert banks.bank_kana("0001") == "ミズホ"
    assert banks.branch_name("0001", "001") == "東京営業部"
    assert banks.branch_kana("0001", "001") == "トウキヨウ"
    assert banks.get_bank("0001") == banks.BankInfo("0001", "みずほ", "ミズホ", "みずほ")


def test_other_known_banks() -> None:
    assert banks.bank_name("0005") == "三菱ＵＦＪ"
    assert banks.bank_name("0009") == "三井住友"
    assert banks.bank_name("9900") == "ゆうちょ"
    assert banks.branch_name("0005", "001") == "本店"


def test_unknown_codes_return_none() -> None:
    assert banks.get_bank("9999") is None
    assert banks.bank_name("9999") is None
    assert banks.branch_name("9999", "001") is None
    assert banks.branch_name("0001", "999") is None
    assert banks.get_branch("0001", "999") is None


@pytest.mark.parametrize("code", ["", "1", "001", "00001", "０００１", "abcd", "0001\n", " 0001"])
def test_malformed_bank_code(code: str) -> None:
    with pytest.raises(ValueError):
        banks.bank_name(code)
    with pytest.raises(ValueError):
        banks.branch_name(code, "001")


@pytest.mark.parametrize("code", ["", "1", "01", "0001", "００１", "abc", "001\n"])
def test_malformed_branch_code(code: str) -> None:
    with pytest.raises(ValueError):
        banks.branch_name("0001", code)


@given(st.text(max_size=6).filter(lambda s: not re.fullmatch(r"[0-9]{4}", s)))
def test_any_malformed_bank_code_raises(code: str) -> None:
    with pytest.raises(ValueError):
        banks.get_bank(code)


@given(four_digits, three_digits)
@example("0001", "001")  # a real bank and branch: the branch assertions run every time
@example("9999", "001")  # an unknown bank
def test_lookup_consistency(bank_code: str, branch_code: str) -> None:
    bank = banks.get_bank(bank_code)
    branch = banks.get_branch(bank_code, branch_code)
    if bank is None:
        assert branch is None
    else:
        assert bank.code == bank_code
        assert bank.name
        assert bank.kana
    if branch is not None:
        assert (branch.bank_code, branch.code) == (bank_code, branch_code)
        assert branch.name
        assert banks.branch_name(bank_code, branch_code) == branch.name


# --- name search (the payee account page) ---


@pytest.mark.parametrize("typed", ["みずほ", "ミズホ", "ﾐｽﾞﾎ", "0001", "０００１"])
def test_search_banks_by_name_reading_or_code(typed):
    assert banks.search_banks(typed)[0].code == "0001"


def test_search_banks_best_first_and_limited():
    found = banks.search_banks("静岡", limit=3)
    assert [b.code for b in found][0] == "0149" and len(found) == 3
    assert banks.search_banks("") == [] and banks.search_banks("存在しない銀行名") == []


@pytest.mark.parametrize(
    ("typed", "code"), [("東京営業部", "001"), ("とうきょう", "001"), ("001", "001"), ("しんじゅく", "240")]
)
def test_search_branches(typed, code):
    found = banks.search_branches("0001", typed)
    # しんじゅく: small kana are compared large, as zengin-code writes them (しんじゆく).
    assert found[0].code == code
    assert banks.search_branches("9999", "東京") == []
