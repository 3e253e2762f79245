"""適格請求書発行事業者登録番号 (invoice registration number) validation.

Since the 2023 インボイス制度 a registration number is ``"T"`` followed by
13 digits; for corporations the digits are the 法人番号, and individuals get a
number from the same check-digit scheme. We validate it to catch typos in
expense receipts.
"""

from dxgrant.japan import corporate_number

__all__ = ["is_valid", "normalize"]

_T_VARIANTS = frozenset("TtＴｔ")


def is_valid(number: str) -> bool:
    """True only for ASCII uppercase ``"T"`` plus a valid 13-digit number.

    Lower-case ``t``, full-width characters and separators are rejected; call
    :func:`normalize` first on user input.
    """
    return len(number) == 14 and number[0] == "T" and corporate_number.is_valid(number[1:])


def normalize(text: str) -> str:
    """Upper-case a leading t/Ｔ and normalise the digits like 法人番号.

    Does not validate; pass the result to :func:`is_valid`.
    """
    stripped = corporate_number.normalize(text.strip())
    if stripped[:1] in _T_VARIANTS:
        return "T" + stripped[1:]
    return stripped
