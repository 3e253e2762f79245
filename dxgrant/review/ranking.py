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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Literal, NamedTuple

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
    """One row of the ranking (a named tuple: 200,000 of them are made in one call)."""

    entry: Entry
    rank: int
    amount_yen: int
    funded: bool
    reason: Reason | None  # why not funded
    running_total_yen: int  # awarded so far, this entry included
    remaining_yen: int  # budget left after this entry


@dataclass(frozen=True, slots=True)
class Ranking:
    rows: list[Ranked]
    budget_yen: int
    awarded_total_yen: int
    remaining_yen: int
    funded_count: int
    # The cut-off (採択ライン): the lowest-ranked funded entry, and the first one passed over for
    # the budget (None when every fundable proposal fits).
    cutoff: Ranked | None
    first_passed_over: Ranked | None


def _not_fundable_reason(entry: Entry) -> Reason | None:
    if entry.forced_outcome == "rejected":
        return "committee"
    if entry.forced_outcome != "awarded":
        if entry.outcome_by_rule == "below_floor":
            return "below_floor"
        if entry.outcome_by_rule != "fundable":
            return "disqualified"
    return None


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """Score descending, then earlier submission, then lower id. Three stable sorts, from the
    last key to the first, are faster than one sort on a tuple of Decimal and datetime."""
    result = sorted(entries, key=attrgetter("application_id"))
    result.sort(key=attrgetter("submitted_at"))
    result.sort(key=attrgetter("score"), reverse=True)  # reverse keeps equal items in order
    return result


def rank(entries: Iterable[Entry], budget_yen: int) -> Ranking:
    """Rank the entries and walk the budget in rank order (see the module's docstring)."""
    if budget_yen < 0:
        raise ValueError("budget_yen must not be negative")
    rows: list[Ranked] = []
    remaining = budget_yen
    total = 0
    cutoff: Ranked | None = None
    passed_over: Ranked | None = None
    reason: Reason | None
    for position, entry in enumerate(ordered(entries), start=1):
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
        funded = reason is None
        if funded:
            remaining -= amount
            total += amount
        row = Ranked(entry, position, amount, funded, reason, total, remaining)
        rows.append(row)
        if funded:
            cutoff = row
        elif reason == "budget" and passed_over is None:
            passed_over = row
    return Ranking(
        rows=rows,
        budget_yen=budget_yen,
        awarded_total_yen=total,
        remaining_yen=remaining,
        funded_count=sum(1 for row in rows if row.funded),
        cutoff=cutoff,
        first_passed_over=passed_over,
    )
