"""The decision's arithmetic, as the committee's pages and the decision rows use it: a thin
adapter over the review's pure modules (`review/scoring.py` aggregates, `review/amount.py` gives
the amount sheet, `review/ranking.py` ranks within the budget), naming the outcomes the
decision records (awarded, rejected, disqualified). No database here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from dxgrant.programs.review_schema import ReviewRules
from dxgrant.programs.schema import AmountRule, Criterion
from dxgrant.review import amount, ranking, scoring

# Outcomes of the decision (the Decision row's outcome values).
AWARDED = "awarded"
REJECTED = "rejected"
DISQUALIFIED = "disqualified"
OUTCOMES = (AWARDED, REJECTED, DISQUALIFIED)


@dataclass(frozen=True)
class Aggregate:
    reviewer_totals: dict[Any, Decimal]
    criterion_means: dict[str, Decimal]
    total: Decimal  # mean of the reviewers' weighted totals
    standardised: Decimal | None  # from z-scores, where the round standardises
    score: Decimal  # what the round ranks on: standardised where the round says so
    spread: Decimal
    stdev: Decimal
    flagged: bool
    disqualified: bool  # by the criterion floor (the pass score is the amount rule's)
    disqualified_because: list[str] = field(default_factory=list)  # criterion codes, or "pass_score"
    # each reviewer's z behind `standardised`, with the pool's mean and deviation (None: not used)
    standardisation: scoring.Standardisation | None = None


def aggregate_round(
    rubric: Sequence[Criterion],
    review: ReviewRules,
    pass_score: int,
    scored: Mapping[int, Sequence[tuple[int, Mapping[str, int]]]],
) -> dict[int, Aggregate]:
    """Every application of the round at once (z-scores need each reviewer's other applications):
    `scored` is {application id: [(reviewer id, {criterion: score})]}."""
    result = scoring.aggregate(
        {app: dict(rows) for app, rows in scored.items()}, rubric=rubric, review=review, pass_score=pass_score
    )
    out: dict[int, Aggregate] = {}
    for app, agg in result.items():
        because: list[str] = []
        for d in agg.disqualifications:
            because.extend(d.criteria if d.rule == "criterion_floor" else ["pass_score"])
        out[int(app)] = Aggregate(  # type: ignore[call-overload]
            reviewer_totals=agg.reviewer_totals,
            criterion_means=agg.criterion_means,
            total=agg.mean_total,
            standardised=agg.standardised_total,
            score=agg.total,
            spread=agg.disagreement.range,
            stdev=agg.disagreement.stdev,
            flagged=agg.disagreement.flagged,
            disqualified=any(d.rule == "criterion_floor" for d in agg.disqualifications),
            disqualified_because=because,
            standardisation=agg.standardisation,
        )
    return out


@dataclass(frozen=True)
class AmountSheet:
    """The rule's sheet (review/amount.py) and whether the review disqualified the application."""

    rule: amount.AmountSheet
    disqualified: bool

    @property
    def outcome_by_rule(self) -> ranking.RuleOutcome:
        return "disqualified" if self.disqualified else self.rule.outcome_by_rule

    @property
    def proposed_yen(self) -> int:
        return 0 if self.disqualified else self.rule.proposed_yen

    @property
    def rate(self) -> str:
        return self.rule.rate_text

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rule, name)

    def as_json(self) -> dict[str, Any]:
        s = self.rule
        return {
            "eligible_cost_yen": s.eligible_cost_yen,
            "score": f"{s.score:.2f}",
            "band_min_score": None if s.band is None else str(s.band.min_score),
            "rate": s.rate_text,
            "raw_yen": f"{s.raw_yen.numerator}/{s.raw_yen.denominator}",
            "rounding": s.rounding,
            "rounding_unit_yen": s.rounding_unit_yen,
            "rounded_yen": s.rounded_yen,
            "cap_yen": s.cap_yen,
            "capped": s.capped,
            "rule_yen": s.rule_yen,
            "pass_score": s.pass_score,
            "passes_score": s.passes_score,
            "floor_yen": s.floor_yen,
            "meets_floor": s.meets_floor,
            "disqualified": self.disqualified,
            "outcome_by_rule": self.outcome_by_rule,
            "proposed_yen": self.proposed_yen,
        }


def amount_sheet(
    rule: AmountRule, *, eligible_cost_yen: int, score: Decimal, disqualified: bool
) -> AmountSheet:
    return AmountSheet(
        amount.proposed_amount(rule, eligible_cost_yen=eligible_cost_yen, score=score), disqualified
    )


@dataclass(frozen=True)
class Candidate:
    application_id: int
    score: Decimal
    submitted_at: dt.datetime
    sheet: AmountSheet
    forced_outcome: Literal["awarded", "rejected"] | None = None
    decided_yen: int | None = None


@dataclass(frozen=True)
class Ranked:
    application_id: int
    rank: int
    outcome: str
    amount_yen: int
    running_total_yen: int
    passed_over: bool  # fundable, but did not fit the remaining budget
    overridden: bool


def rank(candidates: Sequence[Candidate], budget_yen: int) -> tuple[list[Ranked], ranking.Ranking]:
    """Rank by score (ties: earlier submission, then id) and walk the budget (review/ranking.py)."""
    entries = [
        ranking.Entry(
            application_id=c.application_id,
            score=c.score,
            submitted_at=c.submitted_at,
            proposed_yen=c.sheet.proposed_yen,
            outcome_by_rule=c.sheet.outcome_by_rule,
            rule_yen=c.sheet.rule.rule_yen,
            decided_yen=c.decided_yen,
            forced_outcome=c.forced_outcome,
        )
        for c in candidates
    ]
    result = ranking.rank(entries, budget_yen)
    ranked = []
    for n, row in enumerate(result.rows, start=1):
        e = row.entry
        if row.reason is None:
            outcome = AWARDED
        elif row.reason == "disqualified":
            outcome = DISQUALIFIED
        else:
            outcome = REJECTED
        ranked.append(
            Ranked(
                e.application_id,
                n,
                outcome,
                row.amount_yen if outcome == AWARDED else 0,
                row.running_total_yen,
                row.reason == "budget",
                e.forced_outcome is not None or e.decided_yen is not None,
            )
        )
    return ranked, result
