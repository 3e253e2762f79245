"""Tests for dxgrant.japan.postal (郵便番号)."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dxgrant.japan import postal

PREFECTURES = frozenset(
    [
        "北海道",
        "青森県",
        "岩手県",
        "宮城県",
        "秋田県",
        "山形県",
        "福島県",
        "茨城県",
        "栃木県",
        "群馬県",
        "埼玉県",
        "千葉県",
        "東京都",
        "神奈川県",
        "新潟県",
        "富山県",
        "石川県",
        "福井県",
        "山梨県",
        "長野県",
        "岐阜県",
        "静岡県",
        "愛知県",
        "三重県",
        "滋賀県",
        "京都府",
        "大阪府",
        "兵庫県",
        "奈良県",
        "和歌山県",
        "鳥取県",
        "島根県",
        "岡山県",
        "広島県",
        "山口県",
        "徳島県",
        "香川県",
        "愛媛県",
        "高知県",
        "福岡県",
        "佐賀県",
        "長崎県",
        "熊本県",
        "大分県",
        "宮崎県",
        "鹿児島県",
        "沖縄県",
    ]
)
# About 1 random code in 75 is a real one, so real codes are drawn too: without them the
# assertions about a found address would often not run at all.
KNOWN_CODES = ["1000001", "1500002", "4200853", "5300001", "0600000", "9000001", "8120011", "9800811"]
seven_digits = st.one_of(st.sampled_from(KNOWN_CODES), st.text(alphabet="0123456789", min_size=7, max_size=7))


def test_chiyoda() -> None:
    address = postal.lookup("100-0001")
    assert address is not None
    assert (address.prefecture, address.city, address.town) == (
        "東京都",
        "千代田区",
        "千代田",
    )
    assert address.postal_code == "1000001"
    assert address.kana == "トウキョウトチヨダクチヨダ"
    assert str(address) == "東京都千代田区千代田"
    assert address.office_name is None


@pytest.mark.parametrize("code", ["1000001", "100-0001", "１００－０００１", "〒100-0001", " 100 0001 "])
def test_input_forms(code: str) -> None:
    assert postal.lookup(code) == postal.lookup("1000001")


def test_whole_city_and_multi_town_and_office_codes() -> None:
    whole_city = postal.lookup("1000000")
    assert whole_city is not None
    assert (whole_city.city, whole_city.town) == ("千代田区", "")
    multi = postal.lookup("452-0961")
    assert multi is not None
    assert multi.town == "春日明河原"
    assert "春日夢の森" in multi.other_towns
    office = postal.lookup("100-8111")
    assert office is not None
    assert office.office_name == "宮内庁"


def test_unknown_returns_none() -> None:
    assert postal.lookup("000-0000") is None


@pytest.mark.parametrize(
    "code",
    [
        "",
        "100-001",
        "10000001",
        "100--0001",
        "10-00001",
        "abc-defg",
        "100\n0001",
        "100０",
    ],
)
def test_malformed_raises(code: str) -> None:
    with pytest.raises(ValueError):
        postal.lookup(code)


@settings(deadline=None)
@given(seven_digits)
@example("1000001")  # a real code: the assertions about an address run every time
def test_any_seven_digits_is_none_or_consistent(code: str) -> None:
    address = postal.lookup(code)
    assert address == postal.lookup(f"{code[:3]}-{code[3:]}")
    if address is not None:
        assert address.postal_code == code
        assert address.prefecture in PREFECTURES
        assert address.city
        assert address.kana == address.prefecture_kana + address.city_kana + address.town_kana


@given(st.text(alphabet="0123456789", max_size=12).filter(lambda s: len(s) != 7))
def test_wrong_digit_count_raises(code: str) -> None:
    with pytest.raises(ValueError):
        postal.normalize(code)
