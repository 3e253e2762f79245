"""Tests for dxgrant.japan.corporate_number (法人番号)."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dxgrant.japan import corporate_number as cn

ASCII_DIGITS = "0123456789"
base12 = st.text(alphabet=ASCII_DIGITS, min_size=12, max_size=12)
FULLWIDTH = str.maketrans(ASCII_DIGITS, "０１２３４５６７８９")


def nta_check_digit(base: str) -> int:
    """Reference implementation written from the NTA formula, not stdnum."""
    total = 0
    for n in range(1, 13):
        p_n = int(base[12 - n])  # n-th digit from the rightmost base digit
        q_n = 1 if n % 2 == 1 else 2
        total += p_n * q_n
    return 9 - total % 9


def valid_number(base: str) -> str:
    return str(cn.check_digit(base)) + base


def test_known_nta_number() -> None:
    assert cn.check_digit("000012050002") == 7
    assert cn.is_valid("7000012050002")  # 国税庁
    assert cn.is_valid("5835678256246")
    assert not cn.is_valid("2835678256246")
    assert not cn.is_valid("8000012050002")


@given(base12)
def test_check_digit_matches_nta_formula(base: str) -> None:
    assert cn.check_digit(base) == nta_check_digit(base)
    assert 1 <= cn.check_digit(base) <= 9


@given(base12)
def test_only_the_check_digit_is_accepted_first(base: str) -> None:
    expected = cn.check_digit(base)
    assert cn.is_valid(f"{expected}{base}")
    for first in ASCII_DIGITS:
        if int(first) != expected:
            assert not cn.is_valid(first + base)


@given(base12, st.integers(min_value=1, max_value=12), st.sampled_from(ASCII_DIGITS))
def test_single_digit_change_in_base(base: str, position: int, new: str) -> None:
    number = valid_number(base)
    old = number[position]
    changed = number[:position] + new + number[position + 1 :]
    if new == old:
        assert cn.is_valid(changed)
    elif {old, new} == {"0", "9"}:
        # Sum mod 9: a 0<->9 substitution keeps the check digit (blind spot).
        assert cn.is_valid(changed)
    else:
        assert not cn.is_valid(changed)


def test_zero_nine_blind_spot_is_real() -> None:
    assert cn.is_valid("7000012050002")
    assert cn.is_valid("7900012050002")


@given(base12)
def test_fullwidth_and_separators_rejected_but_normalized(base: str) -> None:
    number = valid_number(base)
    fullwidth = number.translate(FULLWIDTH)
    hyphenated = f"{number[0]}-{number[1:5]}-{number[5:9]}-{number[9:]}"
    for variant in (fullwidth, hyphenated, f" {number}", f"{number}\n"):
        assert not cn.is_valid(variant)
    assert cn.normalize(fullwidth) == number
    assert cn.normalize(hyphenated.translate(FULLWIDTH)) == number
    assert cn.normalize(f"{number[:4]}　{number[4:]} ") == number


# Random text is almost never a valid number, so valid numbers and their look-alikes (full-width
# digits, other scripts' digits) are drawn too: otherwise the assertions below would not run.
near_numbers = st.one_of(
    st.text(max_size=16),
    base12.map(valid_number),
    base12.map(lambda base: valid_number(base).translate(FULLWIDTH)),
    base12.map(lambda base: valid_number(base).translate(str.maketrans(ASCII_DIGITS, "٠١٢٣٤٥٦٧٨٩"))),
)


@given(near_numbers)
@example("7000012050002")
def test_is_valid_requires_13_ascii_digits(text: str) -> None:
    if cn.is_valid(text):
        assert re.fullmatch(r"[0-9]{13}", text)
        assert cn.check_digit(text[1:]) == int(text[0])


@given(st.text(max_size=14).filter(lambda s: not re.fullmatch(r"[0-9]{12}", s)))
def test_check_digit_rejects_anything_but_12_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError):
        cn.check_digit(text)


@pytest.mark.parametrize("text", ["00001205000", "0000120500021", "００００１２０５０００２", "٠٠٠٠١٢٠٥٠٠٠٢"])
def test_check_digit_rejects_examples(text: str) -> None:
    with pytest.raises(ValueError):
        cn.check_digit(text)


def test_unicode_digits_rejected() -> None:
    # str.isdigit() accepts these; the contract does not.
    assert not cn.is_valid("٧٠٠٠٠١٢٠٥٠٠٠٢")
    assert not cn.is_valid("7000012050002".translate(FULLWIDTH))
