"""The final amount (額の確定) and what it does to the payments: pure arithmetic, no database.

docs/final-amount.md works examples through; tests/awards/test_final_amount_rules.py holds the
examples and the properties.

The final amount
----------------
The round's amount rule (`review/amount.proposed_amount`, the one function that computes an award
from an eligible cost; never a second one) is applied to the eligible *actual* cost, with the
decision's score (so a round with score bands gives the same rate the decision gave):

    final = min(decided amount, rule(eligible actual cost))

where rule(cost) is the rule's amount after the rate, the rounding and the cap. The pass-score
check is not applied again (the score does not change after the decision). The floor check is:
an amount by the rule below the round's floor (下限額), or of nothing, is **0** — the rule awards
nothing below its floor, at the decision and at the final amount alike; everything paid is then
demanded back. The floor is not substituted for the amount.

What it does to the payments
----------------------------
With `paid` the sum of the instalments already paid:

* paid > final: every instalment not paid is withdrawn and (paid − final) is demanded back;
* paid = final: every instalment not paid is withdrawn, nothing is demanded;
* paid < final: the instalments not paid are reduced so that paid + remaining = final. The
  reduction is taken from the instalments due after the results report first, from the last
  one backwards, then from any other unpaid instalment, again from the last. An instalment
  reduced to 0 is withdrawn; an instalment due after the results report with an amount left
  becomes due (payable) now.

An instalment in a payment batch (`in_batch`) is not settled here: the caller refuses first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dxgrant.programs.schema import AmountRule
from dxgrant.review.amount import AmountSheet, proposed_amount

__all__ = ["FinalSheet", "Part", "Settlement", "final_amount", "settle"]

PAID = "paid"
UNPAID = ("pending", "due")
RESULTS_REPORT = "results_report_approved"


@dataclass(frozen=True, slots=True)
class FinalSheet:
    """The final amount's arithmetic, step by step."""

    decided_yen: int
    eligible_actual_yen: int
    sheet: AmountSheet  # the round's rule applied to the eligible actual cost
    rule_yen: int  # after the rate, the rounding and the cap
    meets_floor: bool
    by_rule_yen: int  # rule_yen, or 0 below the floor
    capped_at_decided: bool
    final_yen: int

    def as_json(self) -> dict[str, object]:
        s = self.sheet
        return {
            "decided_yen": self.decided_yen,
            "eligible_actual_yen": self.eligible_actual_yen,
            "rate": s.rate_text,
            "raw_yen": str(s.raw_yen),
            "rounding": s.rounding,
            "rounding_unit_yen": s.rounding_unit_yen,
            "rounded_yen": s.rounded_yen,
            "cap_yen": s.cap_yen,
            "rule_yen": self.rule_yen,
            "floor_yen": s.floor_yen,
            "meets_floor": self.meets_floor,
            "by_rule_yen": self.by_rule_yen,
            "capped_at_decided": self.capped_at_decided,
            "final_yen": self.final_yen,
        }


def final_amount(
    rule: AmountRule, *, decided_yen: int, eligible_actual_yen: int, score: Decimal
) -> FinalSheet:
    """The final amount of an award of `decided_yen` whose eligible actual cost (tax excluded) is
    `eligible_actual_yen`; `score` is the decision's (it picks the band's rate). Refused
    (ValueError): a negative cost or decided amount."""
    if eligible_actual_yen < 0:
        raise ValueError("eligible_actual_yen must not be negative")
    if decided_yen < 0:
        raise ValueError("decided_yen must not be negative")
    sheet = proposed_amount(rule, eligible_cost_yen=eligible_actual_yen, score=score)
    by_rule = sheet.rule_yen if sheet.meets_floor else 0
    return FinalSheet(
        decided_yen=decided_yen,
        eligible_actual_yen=eligible_actual_yen,
        sheet=sheet,
        rule_yen=sheet.rule_yen,
        meets_floor=sheet.meets_floor,
        by_rule_yen=by_rule,
        capped_at_decided=by_rule > decided_yen,
        final_yen=min(decided_yen, by_rule),
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One instalment as settling sees it, in the award's order (position)."""

    key: int
    due_after: str  # "acceptance" | "results_report_approved"
    amount_yen: int
    status: str  # "pending" | "due" | "paid" | "withdrawn" (never "in_batch": refused first)


@dataclass(frozen=True, slots=True)
class Settlement:
    paid_yen: int
    final_yen: int
    amounts: dict[int, int] = field(default_factory=dict)  # unpaid instalments kept: new amount
    withdrawn: list[int] = field(default_factory=list)
    made_due: list[int] = field(default_factory=list)
    repayment_yen: int = 0

    @property
    def remaining_yen(self) -> int:
        return sum(self.amounts.values())


def settle(parts: Sequence[Part], final_yen: int) -> Settlement:
    """What the final amount does to the instalments (see the module). Refused (ValueError): an
    instalment in a batch; a negative final amount; unpaid instalments that add up to less than
    the final amount needs (the final amount is never above the decided amount they add up to)."""
    if final_yen < 0:
        raise ValueError("final_yen must not be negative")
    if any(p.status == "in_batch" for p in parts):
        raise ValueError("an instalment is in a payment batch")
    paid = sum(p.amount_yen for p in parts if p.status == PAID)
    unpaid = [p for p in parts if p.status in UNPAID]
    if paid >= final_yen:
        return Settlement(
            paid_yen=paid,
            final_yen=final_yen,
            withdrawn=[p.key for p in unpaid],
            repayment_yen=paid - final_yen,
        )
    reduction = sum(p.amount_yen for p in unpaid) - (final_yen - paid)
    if reduction < 0:
        raise ValueError("the unpaid instalments add up to less than the final amount")
    order = [p for p in reversed(unpaid) if p.due_after == RESULTS_REPORT] + [
        p for p in reversed(unpaid) if p.due_after != RESULTS_REPORT
    ]
    amounts = {p.key: p.amount_yen for p in unpaid}
    for part in order:
        cut = min(reduction, amounts[part.key])
        amounts[part.key] -= cut
        reduction -= cut
    kept = {key: yen for key, yen in amounts.items() if yen > 0}
    return Settlement(
        paid_yen=paid,
        final_yen=final_yen,
        amounts=kept,
        withdrawn=[p.key for p in unpaid if p.key not in kept],
        made_due=[
            p.key for p in unpaid if p.key in kept and p.due_after == RESULTS_REPORT and p.status == "pending"
        ],
    )
