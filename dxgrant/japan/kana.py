"""Conversion of names to the 全銀 (Zengin) character set.

Bank transfer files (全銀協フォーマット) carry the payee name in half-width
katakana and a few ASCII characters; banks reject anything else. We convert
applicant-entered kana here, once, and fail loudly on characters that need a
human decision (kanji, ``&``, iteration marks ...).

``ZENGIN_ALLOWED`` is deliberately the conservative subset accepted by every
bank: ``0-9 A-Z ｱ-ﾝ ﾞ ﾟ ( ) . - /`` and space. Conversion rules:

* hiragana → katakana → half-width katakana (ガ → ``ｶﾞ``, two characters);
* small kana are enlarged (ァ→ｱ, ッ→ﾂ, ャ→ﾔ, ヮ→ﾜ, ヵ→ｶ, ヶ→ｹ), as banks do;
* ヲ→ｵ, ヰ→ｲ, ヱ→ｴ (ｦ is not in the conservative set);
* the long vowel mark ー / ｰ and hyphen look-alikes → ``-``;
* the middle dot ・ / ･ → ``.`` (common bank practice for foreign names);
* full-width ASCII → ASCII, lower-case Latin → upper-case, 全角スペース → space.
"""

import unicodedata

import jaconv

__all__ = [
    "ZENGIN_ALLOWED",
    "is_zengin",
    "kana_equal_for_payee",
    "payee_key",
    "to_zengin",
]

_HALFWIDTH_KANA = "".join(chr(c) for c in range(0xFF71, 0xFF9E))  # ｱ..ﾝ
ZENGIN_ALLOWED: frozenset[str] = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _HALFWIDTH_KANA + "ﾞﾟ" + "().-/ "
)

_DAKUTEN = "ﾞ"
_HANDAKUTEN = "ﾟ"

# Small kana jaconv.enlarge_smallkana does not know about, and archaic kana
# without a half-width form. Applied to full-width katakana.
_EXTRA_ENLARGE = {
    "ヮ": "ワ",
    "ヰ": "イ",
    "ヱ": "エ",
    "ヲ": "オ",
    **dict(
        zip(
            "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
            "クシストヌハヒフヘホムラリルレロ",
            strict=True,
        )
    ),
}

_HYPHENS = "ー\uff70\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"


def _katakana_to_zengin(kata: str) -> str:
    """Convert one full-width katakana (possibly precomposed) character."""
    enlarged = jaconv.enlarge_smallkana(_EXTRA_ENLARGE.get(kata, kata))
    out = []
    for part in unicodedata.normalize("NFD", enlarged):
        if part == "\u3099":
            out.append(_DAKUTEN)
        elif part == "\u309a":
            out.append(_HANDAKUTEN)
        else:
            out.append(jaconv.z2h(_EXTRA_ENLARGE.get(part, part), kana=True))
    return "".join(out)


def _build_table() -> dict[str, str]:
    """Map every convertible input character to its 全銀 replacement."""
    table = {ch: ch for ch in ZENGIN_ALLOWED}
    for ch in "abcdefghijklmnopqrstuvwxyz":
        table[ch] = ch.upper()
    # Full-width ASCII (！..～) follows the rule of its ASCII counterpart.
    for code in range(0xFF01, 0xFF5F):
        ascii_ch = chr(code - 0xFEE0)
        if ascii_ch in table:
            table[chr(code)] = table[ascii_ch]
    table["\u3000"] = " "
    for ch in _HYPHENS:
        table[ch] = "-"
    table["・"] = "."
    table["･"] = "."
    table["\u3099"] = table["\u309b"] = _DAKUTEN  # combining / spacing ゛
    table["\u309a"] = table["\u309c"] = _HANDAKUTEN  # combining / spacing ゜
    kana = [chr(c) for c in range(0x3041, 0x3097)]  # ぁ..ゖ
    kana += [chr(c) for c in range(0x30A1, 0x30FB)]  # ァ..ヺ
    kana += [chr(c) for c in range(0x31F0, 0x3200)]  # ㇰ..ㇿ
    for ch in kana:
        converted = _katakana_to_zengin(jaconv.hira2kata(ch))
        if converted and all(c in ZENGIN_ALLOWED for c in converted):
            table[ch] = converted
    # Half-width small kana and ｦ: go through the full-width form.
    for ch in "ｦｧｨｩｪｫｬｭｮｯ":
        table[ch] = _katakana_to_zengin(jaconv.h2z(ch, kana=True))
    return table


_TABLE: dict[str, str] = _build_table()


def to_zengin(text: str) -> str:
    """Convert a kana / ASCII name to 全銀 characters.

    Raises ValueError naming the first character (and its 1-based position
    in ``text``) that has no 全銀 equivalent, e.g. kanji or ``&``. The result
    always satisfies :func:`is_zengin`, and the conversion is idempotent.
    """
    out = []
    for i, ch in enumerate(text):
        converted = _TABLE.get(ch)
        if converted is None:
            raise ValueError(f"全銀形式に変換できない文字があります: '{ch}' (位置 {i + 1})")
        out.append(converted)
    return "".join(out)


def is_zengin(text: str) -> bool:
    """True if every character of ``text`` is in :data:`ZENGIN_ALLOWED`."""
    return all(ch in ZENGIN_ALLOWED for ch in text)


# Full readings of legal-entity types → 全銀協 abbreviations. Not exhaustive:
# only the forms grant applicants commonly use. Longest first so that
# 一般社団法人 is replaced before 社団法人.
_CORPORATE_FORMS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("ｶﾌﾞｼｷｶﾞｲｼﾔ", "ｶ"),  # 株式会社
            ("ﾕｳｹﾞﾝｶﾞｲｼﾔ", "ﾕ"),  # 有限会社
            ("ｺﾞｳﾒｲｶﾞｲｼﾔ", "ﾒ"),  # 合名会社
            ("ｺﾞｳｼｶﾞｲｼﾔ", "ｼ"),  # 合資会社
            ("ｺﾞｳﾄﾞｳｶﾞｲｼﾔ", "ﾄﾞ"),  # 合同会社
            ("ｲﾘﾖｳﾎｳｼﾞﾝ", "ｲ"),  # 医療法人
            ("ｲﾂﾊﾟﾝｼﾔﾀﾞﾝﾎｳｼﾞﾝ", "ｼﾔ"),  # 一般社団法人
            ("ｺｳｴｷｼﾔﾀﾞﾝﾎｳｼﾞﾝ", "ｼﾔ"),  # 公益社団法人
            ("ｼﾔﾀﾞﾝﾎｳｼﾞﾝ", "ｼﾔ"),  # 社団法人
            ("ｲﾂﾊﾟﾝｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ", "ｻﾞｲ"),  # 一般財団法人
            ("ｺｳｴｷｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ", "ｻﾞｲ"),  # 公益財団法人
            ("ｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ", "ｻﾞｲ"),  # 財団法人
            ("ﾄｸﾃｲﾋｴｲﾘｶﾂﾄﾞｳﾎｳｼﾞﾝ", "ﾄｸﾋ"),  # 特定非営利活動法人
            ("ｼﾔｶｲﾌｸｼﾎｳｼﾞﾝ", "ﾌｸ"),  # 社会福祉法人
            ("ｶﾞﾂｺｳﾎｳｼﾞﾝ", "ｶﾞｸ"),  # 学校法人
        ),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
)
_ABBREVIATIONS = frozenset(abbr for _, abbr in _CORPORATE_FORMS)


def payee_key(name: str) -> str:
    """Canonical form of an account-holder name for comparison.

    Converts with :func:`to_zengin` (so it raises ValueError likewise),
    removes spaces, and rewrites spelled-out entity types to the bank
    abbreviation, keeping its position as banks do: ``ｶ)ﾔﾏﾀﾞ`` (前株),
    ``ﾔﾏﾀﾞ(ｶ`` (後株), ``ﾔﾏﾀﾞ(ｶ)ｼﾃﾝ`` (in the middle). A fully parenthesised
    abbreviation at either end, ``(ｶ)ﾔﾏﾀﾞ`` / ``ﾔﾏﾀﾞ(ｶ)``, is treated the same.
    """
    key = to_zengin(name).replace(" ", "")
    for full, abbr in _CORPORATE_FORMS:
        if key.startswith(full):
            key = f"{abbr}){key[len(full) :]}"
        if key.endswith(full):
            key = f"{key[: -len(full)]}({abbr}"
        key = key.replace(full, f"({abbr})")
    for abbr in _ABBREVIATIONS:
        wrapped = f"({abbr})"
        if key.startswith(wrapped) and len(key) > len(wrapped):
            key = f"{abbr}){key[len(wrapped) :]}"
        if key.endswith(wrapped) and len(key) > len(wrapped):
            key = f"{key[: -len(wrapped)]}({abbr}"
    return key


def kana_equal_for_payee(a: str, b: str) -> bool:
    """True if two account-holder names are the same after :func:`payee_key`.

    Used to warn when the bank account holder differs from the applicant,
    e.g. ``カブシキガイシャ ヤマダ`` equals ``ｶ)ﾔﾏﾀﾞ``. Raises ValueError if
    either name cannot be converted to 全銀 characters.
    """
    return payee_key(a) == payee_key(b)
