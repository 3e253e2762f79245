"""Tests for dxgrant.japan.invoice_number (適格請求書発行事業者登録番号)."""

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.japan import corporate_number, invoice_number


def test_known_number() -> None:
    assert invoice_number.is_valid("T7000012050002")
    assert not invoice_number.is_valid("T8000012050002")
    assert not invoice_number.is_valid("7000012050002")
    assert not invoice_number.is_valid("t7000012050002")
    assert not invoice_number.is_valid("Ｔ7000012050002")
    assert not invoice_number.is_valid("T7000-0120-50002")
    assert not invoice_number.is_valid("T")
    assert not invoice_number.is_valid("")


@given(st.text(max_size=15))
def test_equivalent_to_t_plus_corporate_number(text: str) -> None:
    assert invoice_number.is_valid("T" + text) == corporate_number.is_valid(text)
    for prefix in ("t", "Ｔ", "ｔ"):
        assert not invoice_number.is_valid(prefix + text)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_normalize_user_input(base: str) -> None:
    number = "T" + str(corporate_number.check_digit(base)) + base
    assert invoice_number.is_valid(number)
    full = number.translate(str.maketrans("T0123456789", "ｔ０１２３４５６７８９"))
    assert not invoice_number.is_valid(full)
    assert invoice_number.normalize(full) == number
    assert invoice_number.normalize(f" t{number[1:5]}-{number[5:]} ") == number
    assert invoice_number.normalize(number) == number
