"""The amount rule (支援金額の算定): the proposed amount from the round's data and the review only.

Pure: no database. Every step is kept on the sheet with its numbers, so that anyone can
recompute it by hand (docs/review-rules.md works examples through):

1. eligible cost (対象経費, tax excluded), from the budget of the submitted version;
2. the rate (助成率): the band's for the total score where the round defines bands (the band with
   the highest `min_score` at or below the score), else the rule's single rate. A score below
   every band (possible only below the pass score, where nothing is awarded) shows the lowest
   band's rate;
3. the raw product eligible cost × rate, exact (a fraction of a yen is kept);
4. rounded to the rounding unit: down (切り捨て) or to the nearest unit, halves up (四捨五入);
5. capped at the cap (上限額);
6. the pass-score check (合格点): a total below it is awarded nothing ("below_pass_score");
7. the floor check (下限額): an amount below the floor, or of nothing, is awarded nothing
   ("below_floor").

Arithmetic is exact (Fraction and Decimal, never float). No field an applicant or advisor
fills in sets the amount: the inputs are the rule, the eligible cost and the review's score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from dxgrant.programs.schema import AmountRule, ScoreBand

Outcome = Literal["fundable", "below_pass_score", "below_floor"]


@dataclass(frozen=True, slots=True)
class AmountSheet:
    """The decision sheet's arithmetic (算定表), step by step."""

    eligible_cost_yen: int
    score: Decimal
    band: ScoreBand | None  # None: the rule has no bands
    rate: Fraction
    rate_text: str  # "2/3"
    raw_yen: Fraction  # eligible cost × rate, exact
    rounding: Literal["down", "nearest"]
    rounding_unit_yen: int
    rounded_yen: int
    cap_yen: int
    capped: bool
    rule_yen: int  # after rounding and the cap: what the rule gives before the two checks
    pass_score: int
    passes_score: bool
    floor_yen: int
    meets_floor: bool
    proposed_yen: int  # 0 unless fundable
    outcome_by_rule: Outcome


def rate_text(rate: Fraction) -> str:
    return f"{rate.numerator}/{rate.denominator}"


def band_for(rule: AmountRule, score: Decimal) -> ScoreBand | None:
    """The band with the highest min_score at or below the score; the lowest band when the
    score is below all of them; None when the rule has no bands."""
    if not rule.bands:
        return None
    chosen = rule.bands[0]
    for band in rule.bands:
        if band.min_score <= score:
            chosen = band
    return chosen


def round_to_unit(amount: Fraction, unit: int, how: Literal["down", "nearest"]) -> int:
    """Down (切り捨て) or to the nearest unit with halves up (四捨五入); exact."""
    units = amount / unit
    return math.floor(units if how == "down" else units + Fraction(1, 2)) * unit


def proposed_amount(rule: AmountRule, *, eligible_cost_yen: int, score: Decimal) -> AmountSheet:
    """The proposed amount by the rule, with every step. `score` is the application's total
    out of 100 as the review shows it (review/scoring.py: two decimals)."""
    if eligible_cost_yen < 0:
        raise ValueError("eligible_cost_yen must not be negative")
    band = band_for(rule, score)
    if band is None:
        rate = Fraction(rule.rate_numerator, rule.rate_denominator)
    else:
        rate = Fraction(band.rate_numerator, band.rate_denominator)
    raw = eligible_cost_yen * rate
    rounded = round_to_unit(raw, rule.rounding_unit_yen, rule.rounding)
    capped = rounded > rule.cap_yen
    rule_yen = min(rounded, rule.cap_yen)
    passes = score >= rule.pass_score
    meets_floor = rule_yen > 0 and rule_yen >= rule.floor_yen
    outcome: Outcome = "below_pass_score" if not passes else "below_floor" if not meets_floor else "fundable"
    return AmountSheet(
        eligible_cost_yen=eligible_cost_yen,
        score=score,
        band=band,
        rate=rate,
        rate_text=rate_text(rate),
        raw_yen=raw,
        rounding=rule.rounding,
        rounding_unit_yen=rule.rounding_unit_yen,
        rounded_yen=rounded,
        cap_yen=rule.cap_yen,
        capped=capped,
        rule_yen=rule_yen,
        pass_score=rule.pass_score,
        passes_score=passes,
        floor_yen=rule.floor_yen,
        meets_floor=meets_floor,
        proposed_yen=rule_yen if outcome == "fundable" else 0,
        outcome_by_rule=outcome,
    )


def eligible_cost(budget_lines: Iterable[Mapping[str, Any]]) -> int:
    """The eligible cost (tax excluded) of a budget as the submitted snapshot holds it
    (`snapshot["budget"]["lines"]`, applications/snapshot.py): Σ quantity × unit price, each
    line recomputed from its own figures rather than read from a stored total."""
    return sum(int(line["quantity"]) * int(line["unit_price_yen"]) for line in budget_lines)


def snapshot_eligible_cost(snapshot: Mapping[str, Any]) -> int:
    """The eligible cost of a submitted application's snapshot."""
    return eligible_cost(snapshot["budget"]["lines"])
