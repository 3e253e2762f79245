"""The decision's arithmetic, without the database: each application's aggregate of its reviewers'
scores, the amount sheet of the round's amount rule, and the ranking within the budget.

Every step keeps its numbers so the pages, the decision rows and the published results can
show them and anyone can recompute them. Money is integer yen; scores are Decimals.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from dxgrant.programs.schema import AmountRule, Criterion, ReviewRules

TWO = Decimal("0.01")

# Outcomes of the ranking (the Decision row's outcome values).
AWARDED = "awarded"
REJECTED = "rejected"
DISQUALIFIED = "disqualified"
OUTCOMES = (AWARDED, REJECTED, DISQUALIFIED)


def two(value: Decimal | float | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


# --- Aggregation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewerTotal:
    reviewer_id: int
    scores: dict[str, int]
    total: Decimal  # weighted, out of 100
    z: Decimal | None = None  # across this reviewer's applications in the round


@dataclass(frozen=True)
class Aggregate:
    reviewers: list[ReviewerTotal]
    criterion_means: dict[str, Decimal]
    total: Decimal  # mean of the reviewers' weighted totals
    standardised: Decimal | None  # the same from z-scores, put back on the 100-point scale
    spread: Decimal  # highest minus lowest reviewer total
    stdev: Decimal  # population standard deviation of the reviewer totals
    flagged: bool
    disqualified: bool
    disqualified_because: list[str] = field(default_factory=list)  # criterion codes, or "pass_score"

    @property
    def score(self) -> Decimal:
        """The score the round ranks on: standardised where the round says so."""
        return self.standardised if self.standardised is not None else self.total


def weighted_total(rubric: Sequence[Criterion], review: ReviewRules, scores: Mapping[str, int]) -> Decimal:
    """Σ weight × (score − min) / (max − min): out of 100."""
    span = review.scale_max - review.scale_min
    total = sum((Fraction(c.weight * (scores[c.code] - review.scale_min), span) for c in rubric), Fraction(0))
    return two(total)


def aggregate_round(
    rubric: Sequence[Criterion],
    review: ReviewRules,
    pass_score: int,
    scored: Mapping[int, Sequence[tuple[int, Mapping[str, int]]]],
) -> dict[int, Aggregate]:
    """Aggregates of every application of the round at once (z-scores need every reviewer's
    other applications): `scored` is {application id: [(reviewer id, {criterion: score})]}."""
    totals = {
        app: [(reviewer, dict(s), weighted_total(rubric, review, s)) for reviewer, s in rows]
        for app, rows in scored.items()
    }
    z_of: dict[tuple[int, int], Decimal] = {}
    scale_mean = scale_sd = Decimal(0)
    if review.standardise:
        by_reviewer: dict[int, list[tuple[int, Decimal]]] = {}
        for app, rows in totals.items():
            for reviewer, _s, total in rows:
                by_reviewer.setdefault(reviewer, []).append((app, total))
        everything = [float(t) for rows in by_reviewer.values() for _a, t in rows]
        if everything:
            scale_mean = Decimal(statistics.fmean(everything)).quantize(Decimal("0.0001"))
            scale_sd = Decimal(statistics.pstdev(everything)).quantize(Decimal("0.0001"))
        for reviewer, rows in by_reviewer.items():
            values = [float(t) for _a, t in rows]
            mean, sd = statistics.fmean(values), statistics.pstdev(values)
            for app, t in rows:
                z_of[(reviewer, app)] = Decimal(0) if sd == 0 else two((float(t) - mean) / sd)
    result = {}
    for app, rows in totals.items():
        reviewers = [ReviewerTotal(r, s, t, z_of.get((r, app))) for r, s, t in rows]
        values = [float(r.total) for r in reviewers]
        means = {c.code: two(statistics.fmean(r.scores[c.code] for r in reviewers)) for c in rubric}
        spread = two(max(values) - min(values))
        stdev = two(statistics.pstdev(values))
        flagged = (review.disagreement_range is not None and spread > review.disagreement_range) or (
            review.disagreement_stdev is not None and stdev > review.disagreement_stdev
        )
        standardised = None
        if review.standardise:
            z_mean = statistics.fmean(float(r.z or 0) for r in reviewers)
            standardised = two(min(Decimal(100), max(Decimal(0), scale_mean + Decimal(z_mean) * scale_sd)))
        total = two(statistics.fmean(values))
        score = standardised if standardised is not None else total
        because = []
        if review.criterion_floor is not None:
            because = [code for code, m in means.items() if m <= review.criterion_floor]
        if score < pass_score:
            because.append("pass_score")
        result[app] = Aggregate(
            reviewers, means, total, standardised, spread, stdev, flagged, bool(because), because
        )
    return result


# --- The amount rule --------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountSheet:
    eligible_cost_yen: int
    score: Decimal
    pass_score: int
    passed: bool
    rate_numerator: int
    rate_denominator: int
    band_min_score: Decimal | None  # the band that set the rate; None: the round's single rate
    before_rounding: Fraction  # eligible × rate
    rounding: str
    rounding_unit_yen: int
    rounded_yen: int
    cap_yen: int
    capped_yen: int
    floor_yen: int
    below_floor: bool
    proposed_yen: int

    @property
    def rate(self) -> str:
        return f"{self.rate_numerator}/{self.rate_denominator}"

    def as_json(self) -> dict[str, Any]:
        return {
            "eligible_cost_yen": self.eligible_cost_yen,
            "score": str(self.score),
            "pass_score": self.pass_score,
            "passed": self.passed,
            "rate": self.rate,
            "band_min_score": None if self.band_min_score is None else str(self.band_min_score),
            "before_rounding_yen": str(two(self.before_rounding)),
            "rounding": self.rounding,
            "rounding_unit_yen": self.rounding_unit_yen,
            "rounded_yen": self.rounded_yen,
            "cap_yen": self.cap_yen,
            "capped_yen": self.capped_yen,
            "floor_yen": self.floor_yen,
            "below_floor": self.below_floor,
            "proposed_yen": self.proposed_yen,
        }


def rate_for(rule: AmountRule, score: Decimal) -> tuple[int, int, Decimal | None]:
    band = None
    for candidate in rule.bands:
        if candidate.min_score <= score:
            band = candidate
    if band is None:
        return rule.rate_numerator, rule.rate_denominator, None
    return band.rate_numerator, band.rate_denominator, band.min_score


def amount_sheet(
    rule: AmountRule, *, eligible_cost_yen: int, score: Decimal, disqualified: bool
) -> AmountSheet:
    """eligible cost × rate (its band), rounded to the unit, capped; nothing below the floor,
    nothing for a disqualified application (which includes a score below the pass score)."""
    numerator, denominator, band = rate_for(rule, score)
    raw = Fraction(eligible_cost_yen * numerator, denominator)
    units = raw / rule.rounding_unit_yen
    whole = int(units) if rule.rounding == "down" else int(units + Fraction(1, 2))
    rounded = whole * rule.rounding_unit_yen
    capped = min(rounded, rule.cap_yen)
    passed = score >= rule.pass_score and not disqualified
    below_floor = capped < rule.floor_yen
    proposed = capped if passed and not below_floor else 0
    return AmountSheet(
        eligible_cost_yen, score, rule.pass_score, passed, numerator, denominator, band, raw,
        rule.rounding, rule.rounding_unit_yen, rounded, rule.cap_yen, capped, rule.floor_yen,
        below_floor, proposed,
    )  # fmt: skip


# --- Ranking within the budget ----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    application_id: int
    score: Decimal
    proposed_yen: int
    disqualified: bool
    forced_outcome: str = ""  # "" or an outcome
    decided_yen: int | None = None  # a reduction by the committee


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    rank: int
    outcome: str
    amount_yen: int
    running_total_yen: int
    passed_over: bool  # would have been awarded but did not fit the budget
    overridden: bool


def rank(candidates: Sequence[Candidate], budget_yen: int) -> list[Ranked]:
    """Candidates already in rank order (score, then earlier submission, then id). Proposals are
    taken in order; one that no longer fits the remaining budget is passed over while later,
    smaller ones may still fit. A forced outcome or a reduced amount replaces the rule's."""
    ranked = []
    running = 0
    for n, c in enumerate(candidates, start=1):
        amount = c.proposed_yen if c.decided_yen is None else min(c.decided_yen, c.proposed_yen)
        if c.disqualified or c.proposed_yen == 0:
            outcome = DISQUALIFIED if c.disqualified else REJECTED
        else:
            outcome = AWARDED if running + amount <= budget_yen else REJECTED
        passed_over = outcome == REJECTED and c.proposed_yen > 0 and not c.disqualified
        if c.forced_outcome:
            outcome = c.forced_outcome
        if outcome == AWARDED and amount > 0:
            running += amount
        else:
            amount = 0 if outcome != AWARDED else amount
        overridden = bool(c.forced_outcome) or c.decided_yen is not None
        ranked.append(Ranked(c, n, outcome, amount, running, passed_over and outcome == REJECTED, overridden))
    return ranked
