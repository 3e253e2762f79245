"""法人番号 (13-digit Japanese Corporate Number) validation.

Applicants identify themselves by 法人番号, so we reject typos before they
reach a reviewer. The check digit is computed by python-stdnum
(``stdnum.jp.cn``); this module adds a strict contract around it: only ASCII
digits, no separators. Use :func:`normalize` on user input first.

NTA formula (国税庁「法人番号の指定等に関する省令」): for the 12 base digits,
``check = 9 - (sum(P_n * Q_n for n in 1..12) mod 9)`` where ``P_n`` is the
n-th digit counted from the rightmost base digit and ``Q_n`` is 1 for odd n
and 2 for even n. The check digit is placed *first*, so it is always 1-9.

Note: because the sum is taken mod 9, replacing a base digit 0 with 9 (or 9
with 0) does not change the check digit. Such a typo cannot be detected.
"""

import re

from stdnum.jp import cn

__all__ = ["check_digit", "is_valid", "normalize"]

_BASE_RE = re.compile(r"[0-9]{12}")
_NUMBER_RE = re.compile(r"[0-9]{13}")

# Characters people type between digit groups: ASCII and full-width spaces,
# and the hyphen look-alikes that Japanese IMEs produce.
_SEPARATORS = " \u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def check_digit(base12: str) -> int:
    """Return the check digit (1-9) for the 12 base digits of a 法人番号.

    Raises ValueError unless ``base12`` is exactly 12 ASCII digits, so that a
    caller can never silently get a digit for malformed input.
    """
    if not _BASE_RE.fullmatch(base12):
        raise ValueError(f"法人番号の基礎番号は半角数字12桁です: {base12!r}")
    return int(cn.calc_check_digit(base12))


def is_valid(number: str) -> bool:
    """True only for 13 ASCII digits whose first digit is the check digit.

    Full-width digits, other Unicode digits, hyphens and spaces are rejected;
    call :func:`normalize` first when handling user input.
    """
    if not _NUMBER_RE.fullmatch(number):
        return False
    return cn.calc_check_digit(number[1:]) == number[0]


def normalize(text: str) -> str:
    """Convert full-width digits to ASCII and drop spaces and hyphens.

    Performs no validation: the result may still be invalid, so pass it to
    :func:`is_valid`.
    """
    translated = text.translate(_FULLWIDTH_DIGITS)
    return "".join(ch for ch in translated if ch not in _SEPARATORS)
