"""金融機関コード / 支店コード lookup backed by the zengin-code data set.

Applicants enter bank and branch codes for grant payments; showing the
resolved names lets them spot typos before a transfer fails. The data ships
with the zengin-code package (no network access).

Codes must be ASCII digits: 4 for a bank, 3 for a branch. Malformed codes
raise ValueError; well-formed but unknown codes return None.
"""

import re
from dataclasses import dataclass

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
