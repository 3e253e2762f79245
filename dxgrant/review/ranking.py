"""Ranking within the budget (予算内の採択順位). Pure: no database.

The reviewed applications are ranked by total score, highest first; ties go to the earlier
submission, then to the lower application id. The budget is then walked in rank order: each
fundable proposal is taken if its amount fits what remains of the budget; one that does not fit
is passed over (reason "budget") and later, smaller ones may still fit. Nothing is ever split.

The committee's changes are inputs, so the committee page, its "what if" budget and the final
decision all call `rank` with the same entries:
- `decided_yen`: a reduced amount (never above the rule's: `proposed_yen`, or `rule_yen` for an
  entry the committee awards against the rule's outcome); 0 withholds the award;
- `forced_outcome`: "awarded" takes an entry the rule would not fund (it still has to fit the
  budget in its rank), "rejected" takes none.
An entry not funded says why: "budget", "disqualified" (by the review's disqualification rule or
below the pass score), "below_floor", or "committee".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Literal, NamedTuple, overload

RuleOutcome = Literal["fundable", "below_pass_score", "below_floor", "disqualified"]
Reason = Literal["budget", "disqualified", "below_floor", "committee"]


@dataclass(frozen=True, slots=True)
class Entry:
    application_id: int
    score: Decimal
    submitted_at: dt.datetime
    proposed_yen: int  # by the rule (0 unless fundable)
    outcome_by_rule: RuleOutcome
    # What the rule's arithmetic gives before the pass-score and floor checks (the amount sheet's
    # rule_yen): the most the committee may award an entry it funds against the rule's outcome.
    rule_yen: int | None = None
    decided_yen: int | None = None
    forced_outcome: Literal["awarded", "rejected"] | None = None

    def ceiling_yen(self) -> int:
        if self.forced_outcome == "awarded" and self.outcome_by_rule != "fundable":
            return self.rule_yen if self.rule_yen is not None else self.proposed_yen
        return self.proposed_yen

    def amount_yen(self) -> int:
        """The amount that is funded if the budget allows: the committee's, else the rule's."""
        if self.decided_yen is None:
            return self.ceiling_yen()
        if not 0 <= self.decided_yen <= self.ceiling_yen():
            raise ValueError(
                f"application {self.application_id}: decided_yen {self.decided_yen} is above the rule's "
                f"{self.ceiling_yen()} (or negative)"
            )
        return self.decided_yen


class Ranked(NamedTuple):
    """One row of the ranking."""

    entry: Entry
    rank: int
    amount_yen: int
    funded: bool
    reason: Reason | None  # why not funded
    running_total_yen: int  # awarded so far, this entry included
    remaining_yen: int  # budget left after this entry


class Rows(Sequence[Ranked]):
    """The rows of a ranking, made when read: the ranking keeps columns (entries in rank order,
    amounts, reasons, running totals) so that ranking 200,000 entries makes no row objects, and a
    page that shows fifty rows makes fifty."""

    def __init__(
        self,
        entries: list[Entry],
        amounts: list[int],
        reasons: list[Reason | None],
        running: list[int],
        budget_yen: int,
    ) -> None:
        self._entries = entries
        self._amounts = amounts
        self._reasons = reasons
        self._running = running
        self._budget = budget_yen

    def __len__(self) -> int:
        return len(self._entries)

    def _row(self, index: int) -> Ranked:
        reason = self._reasons[index]
        running = self._running[index]
        return Ranked(
            self._entries[index],
            index + 1,
            self._amounts[index],
            reason is None,
            reason,
            running,
            self._budget - running,
        )

    @overload
    def __getitem__(self, index: int) -> Ranked: ...

    @overload
    def __getitem__(self, index: slice) -> list[Ranked]: ...

    def __getitem__(self, index: int | slice) -> Ranked | list[Ranked]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)


@dataclass(frozen=True, slots=True)
class Ranking:
    rows: Rows
    budget_yen: int
    awarded_total_yen: int
    remaining_yen: int
    funded_count: int
    # The cut-off (採択ライン): the lowest-ranked funded entry, and the first one passed over for
    # the budget (None when every fundable proposal fits).
    cutoff: Ranked | None
    first_passed_over: Ranked | None


def outcome_by_rule(*, disqualified: bool, amount_outcome: str) -> RuleOutcome:
    """An entry's outcome by the rules: the review's disqualification (review/scoring.py: a
    criterion mean at or below the floor, or a total below the pass score) first, then the amount
    rule's outcome (review/amount.py: "fundable", "below_pass_score" or "below_floor")."""
    if disqualified:
        return "disqualified"
    if amount_outcome not in ("fundable", "below_pass_score", "below_floor"):
        raise ValueError(f"unknown amount outcome {amount_outcome!r}")
    return amount_outcome  # type: ignore[return-value]


def _not_fundable_reason(entry: Entry) -> Reason | None:
    if entry.forced_outcome == "rejected":
        return "committee"
    if entry.forced_outcome != "awarded":
        if entry.outcome_by_rule == "below_floor":
            return "below_floor"
        if entry.outcome_by_rule != "fundable":
            return "disqualified"
    return None


_TIE = attrgetter("submitted_at", "application_id")


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """Score descending, then earlier submission, then lower id. The entries are grouped by score
    (a few thousand distinct values at two decimals) and only each group of equal scores is
    sorted by submission and id: 200,000 entries compare their datetimes a few times each, not
    log2(200,000) times."""
    by_score: dict[Decimal, list[Entry]] = {}
    for entry in entries:
        by_score.setdefault(entry.score, []).append(entry)
    result: list[Entry] = []
    for score in sorted(by_score, reverse=True):
        group = by_score[score]
        if len(group) > 1:
            group.sort(key=_TIE)
        result.extend(group)
    return result


def rank(entries: Iterable[Entry], budget_yen: int) -> Ranking:
    """Rank the entries and walk the budget in rank order (see the module's docstring)."""
    if budget_yen < 0:
        raise ValueError("budget_yen must not be negative")
    order = ordered(entries)
    amounts: list[int] = []
    reasons: list[Reason | None] = []
    running: list[int] = []
    remaining = budget_yen
    total = 0
    funded_count = 0
    cutoff = passed_over = -1
    reason: Reason | None
    for index, entry in enumerate(order):
        if entry.decided_yen is None and entry.forced_outcome is None:  # the common case, inline
            amount = entry.proposed_yen
            outcome = entry.outcome_by_rule
            reason = (
                None
                if outcome == "fundable"
                else "below_floor"
                if outcome == "below_floor"
                else "disqualified"
            )
        else:
            amount = entry.amount_yen()
            reason = _not_fundable_reason(entry)
        if reason is None and amount == 0:
            reason = "committee" if entry.decided_yen == 0 else "below_floor"
        if reason is None and amount > remaining:
            reason = "budget"
            if passed_over < 0:
                passed_over = index
        if reason is None:
            remaining -= amount
            total += amount
            funded_count += 1
            cutoff = index
        amounts.append(amount)
        reasons.append(reason)
        running.append(total)
    rows = Rows(order, amounts, reasons, running, budget_yen)
    return Ranking(
        rows=rows,
        budget_yen=budget_yen,
        awarded_total_yen=total,
        remaining_yen=remaining,
        funded_count=funded_count,
        cutoff=rows[cutoff] if cutoff >= 0 else None,
        first_passed_over=rows[passed_over] if passed_over >= 0 else None,
    )
