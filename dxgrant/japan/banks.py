"""金融機関コード / 支店コード lookup backed by the zengin-code data set.

Applicants enter bank and branch codes for grant payments; showing the
resolved names lets them spot typos before a transfer fails. The data ships
with the zengin-code package (no network access).

Codes must be ASCII digits: 4 for a bank, 3 for a branch. Malformed codes
raise ValueError; well-formed but unknown codes return None.
"""

import re
import unicodedata
from dataclasses import dataclass

import jaconv
from zengin_code import Bank as _ZenginBank  # type: ignore[import-untyped,unused-ignore]

__all__ = [
    "BankInfo",
    "BranchInfo",
    "bank_kana",
    "bank_name",
    "branch_kana",
    "branch_name",
    "get_bank",
    "get_branch",
    "search_banks",
    "search_branches",
]

_BANK_RE = re.compile(r"[0-9]{4}")
_BRANCH_RE = re.compile(r"[0-9]{3}")


@dataclass(frozen=True, slots=True)
class BankInfo:
    """A financial institution. ``kana`` is full-width katakana."""

    code: str
    name: str
    kana: str
    hira: str


@dataclass(frozen=True, slots=True)
class BranchInfo:
    """A branch of a financial institution. ``kana`` is full-width katakana."""

    bank_code: str
    code: str
    name: str
    kana: str
    hira: str


def _check_bank_code(code: str) -> None:
    if not _BANK_RE.fullmatch(code):
        raise ValueError(f"金融機関コードは半角数字4桁です: {code!r}")


def _check_branch_code(code: str) -> None:
    if not _BRANCH_RE.fullmatch(code):
        raise ValueError(f"支店コードは半角数字3桁です: {code!r}")


def get_bank(code: str) -> BankInfo | None:
    """Return the bank for a 4-digit code, or None if unknown."""
    _check_bank_code(code)
    bank = _ZenginBank.banks.get(code)
    if bank is None:
        return None
    return BankInfo(code=code, name=str(bank.name), kana=str(bank.kana), hira=str(bank.hira))


def get_branch(bank_code: str, branch_code: str) -> BranchInfo | None:
    """Return the branch, or None if the bank or the branch is unknown."""
    _check_bank_code(bank_code)
    _check_branch_code(branch_code)
    bank = _ZenginBank.banks.get(bank_code)
    if bank is None:
        return None
    branch = bank.branches.get(branch_code)
    if branch is None:
        return None
    return BranchInfo(
        bank_code=bank_code,
        code=branch_code,
        name=str(branch.name),
        kana=str(branch.kana),
        hira=str(branch.hira),
    )


def bank_name(code: str) -> str | None:
    """Return the bank name (e.g. ``みずほ``) or None if unknown."""
    bank = get_bank(code)
    return bank.name if bank else None


def bank_kana(code: str) -> str | None:
    """Return the bank name in katakana or None if unknown."""
    bank = get_bank(code)
    return bank.kana if bank else None


def branch_name(bank_code: str, branch_code: str) -> str | None:
    """Return the branch name (e.g. ``東京営業部``) or None if unknown."""
    branch = get_branch(bank_code, branch_code)
    return branch.name if branch else None


def branch_kana(bank_code: str, branch_code: str) -> str | None:
    """Return the branch name in katakana or None if unknown."""
    branch = get_branch(bank_code, branch_code)
    return branch.kana if branch else None


def _needle(text: str) -> str:
    """What people type, for comparing with a name's hiragana reading: NFKC (half-width kana
    and full-width digits folded), katakana → hiragana, small kana enlarged, spaces removed."""
    folded = jaconv.kata2hira(unicodedata.normalize("NFKC", text)).replace(" ", "").strip()
    # zengin-code readings write small kana large (しんじゆく), as bank names are.
    return jaconv.enlarge_smallkana(folded)


def _score(needle: str, code: str, name: str, hira: str) -> int | None:
    """How well a bank or branch answers `needle` (lower is better), None when it does not."""
    if needle.isdigit() and needle.isascii():
        return 0 if code == needle else (1 if code.startswith(needle) else None)
    folded_name = unicodedata.normalize("NFKC", name)
    folded_hira = hira.replace("－", "ー")
    if needle in (folded_name, folded_hira):
        return 0
    if folded_name.startswith(needle) or folded_hira.startswith(needle):
        return 1
    if needle in folded_name or needle in folded_hira:
        return 2
    return None


def search_banks(text: str, limit: int = 10) -> list[BankInfo]:
    """Banks whose code starts with `text` or whose name or reading contains it (kanji, kana or
    hiragana; ``みずほ``, ``ミズホ``, ``0001``), best matches first; [] for an empty text."""
    needle = _needle(text)
    if not needle:
        return []
    found = []
    for code, bank in _ZenginBank.banks.items():
        score = _score(needle, code, str(bank.name), str(bank.hira))
        if score is not None:
            found.append((score, code, bank))
    found.sort(key=lambda item: (item[0], item[1]))
    return [
        BankInfo(code=code, name=str(bank.name), kana=str(bank.kana), hira=str(bank.hira))
        for _, code, bank in found[:limit]
    ]


def search_branches(bank_code: str, text: str, limit: int = 10) -> list[BranchInfo]:
    """Branches of the bank whose code starts with `text` or whose name or reading contains it,
    best matches first; [] for an unknown bank or an empty text."""
    _check_bank_code(bank_code)
    bank = _ZenginBank.banks.get(bank_code)
    needle = _needle(text)
    if bank is None or not needle:
        return []
    found = []
    for code, branch in bank.branches.items():
        score = _score(needle, code, str(branch.name), str(branch.hira))
        if score is not None:
            found.append((score, code, branch))
    found.sort(key=lambda item: (item[0], item[1]))
    return [
        BranchInfo(bank_code=bank_code, code=code, name=str(b.name), kana=str(b.kana), hira=str(b.hira))
        for _, code, b in found[:limit]
    ]
