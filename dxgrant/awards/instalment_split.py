"""How an award is cut into instalments: pure arithmetic, no database.

Each instalment but the last gets ``floor(amount × share_percent / 100)`` yen; the last takes what
is left, so the instalments always add up to the decided amount exactly (round data:
``round.rules.awards.instalments``, whose shares add up to 100).

    >>> split(1_000_001, [Share("first", 30), Share("rest", 70)])
    [('first', 300000), ('rest', 700001)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["Share", "split"]


class ShareLike(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def share_percent(self) -> int: ...


class Share:
    """A minimal instalment rule (the round's `Instalment` has the same two attributes)."""

    def __init__(self, code: str, share_percent: int) -> None:
        self.code = code
        self.share_percent = share_percent


def split(amount_yen: int, instalments: Sequence[ShareLike]) -> list[tuple[str, int]]:
    """The amount of each instalment, in the rules' order, as ``(code, yen)`` pairs.

    Refused (ValueError): no instalments, a negative amount, shares that do not add up to 100.
    """
    if not instalments:
        raise ValueError("instalments: at least one is needed")
    if amount_yen < 0:
        raise ValueError("amount_yen: must not be negative")
    if sum(rule.share_percent for rule in instalments) != 100:
        raise ValueError("instalments: the shares must add up to 100")
    amounts = [(rule.code, amount_yen * rule.share_percent // 100) for rule in instalments[:-1]]
    last = instalments[-1]
    amounts.append((last.code, amount_yen - sum(yen for _, yen in amounts)))
    return amounts
