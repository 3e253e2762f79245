"""Text search for Japanese names and numbers: one normalisation for the indexed text and the query.

People type the same name many ways: ｹﾔｷ, ケヤキ or けやき; ＤＸ－２０２６ or dx-2026; a 法人番号
with hyphens; コンピューター or コンピュータ; キャノン or キヤノン. :func:`normalise` folds all of
them to one form, and every search of ours (the staff application list, the public register,
the secretariat's registration queue, the support list) applies it both to the text it stores
for searching and to what was typed, so the two always meet.

The folding, in order:

* NFKC: half-width kana to full-width (ｶﾞ → ガ), full-width Latin letters and digits to ASCII,
  compatibility characters to their plain form (㈱ → (株));
* lower case (Latin);
* hiragana to katakana (けやき → ケヤキ), and small kana to large (ャ → ヤ, ッ → ツ, ヶ → ケ),
  as readings are registered either way;
* a few variant kanji people cannot type to the common one (髙 → 高, 﨑 → 崎);
* everything that is not a letter or a digit removed: spaces, hyphens in receipt numbers and
  法人番号, the long vowel mark ー, the middle dot ・, brackets and punctuation.

Stored text is :func:`index_text` of the searchable fields; a query is split on spaces into
:func:`terms`, each of which must be a substring of the stored text. For a database index that
works for Japanese (where words are not separated by spaces and a useful query may be one or two
characters long), :func:`grams` gives the one- and two-character pieces of the stored text and
:func:`query_grams` those of a term: a term can only be a substring of a text whose grams
include all of the term's, so an inverted index of grams finds the candidates and the substring
test confirms them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import jaconv

__all__ = ["SEPARATOR", "grams", "index_text", "normalise", "query_grams", "terms"]

# Joins the fields of the stored text; never part of a normalised term, so a term cannot match
# across two fields.
SEPARATOR = " "

_LONG_VOWEL = "ー"
# Small kana jaconv.enlarge_smallkana leaves as they are (after hiragana became katakana).
_ENLARGE_MORE = str.maketrans("ヮㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", "ワクシストヌハヒフヘホムラリルレロ")
# Variant kanji (異体字) common in company and family names that most keyboards cannot type.
_VARIANTS = str.maketrans({"髙": "高", "﨑": "崎", "𠮷": "吉", "德": "徳"})


def normalise(text: str) -> str:
    """The searchable form of `text`: see the module's description. Idempotent."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = jaconv.enlarge_smallkana(jaconv.hira2kata(folded)).translate(_ENLARGE_MORE)
    folded = folded.translate(_VARIANTS)
    return "".join(ch for ch in folded if ch != _LONG_VOWEL and unicodedata.category(ch)[0] in ("L", "N"))


def index_text(values: Iterable[str | None]) -> str:
    """The stored search text of a row: each non-empty field normalised, joined by SEPARATOR."""
    parts = (normalise(value) for value in values if value)
    return SEPARATOR.join(part for part in parts if part)


def terms(query: str) -> list[str]:
    """The normalised terms of a typed query (split on spaces, empty ones dropped, each once)."""
    seen: dict[str, None] = {}
    for word in unicodedata.normalize("NFKC", query).split():
        term = normalise(word)
        if term:
            seen.setdefault(term, None)
    return list(seen)


def grams(text: str) -> list[str]:
    """Every one- and two-character piece of each field of a stored text, sorted, each once."""
    found: set[str] = set()
    for part in text.split(SEPARATOR):
        found.update(part)
        found.update(part[i : i + 2] for i in range(len(part) - 1))
    return sorted(found)


def query_grams(term: str) -> list[str]:
    """The pieces a stored text must contain for `term` to be its substring: the term itself
    when it is one character long, else its two-character pieces (sorted, each once)."""
    if len(term) < 2:
        return [term] if term else []
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})
