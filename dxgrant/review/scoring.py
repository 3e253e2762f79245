"""Aggregation of the reviewers' scores (審査結果の集計). Pure: no database.

Input: per application, per reviewer, that reviewer's submitted score for each criterion of the
rubric, an integer on the round's scale (`round.rules.review.scale_min`–`scale_max`).

**A reviewer's weighted total (加重合計点), out of 100** is Σ weight × score ÷ scale_max: the
weights add up to 100, so all top marks give 100. We divide by the top of the scale rather than
normalising from its bottom ((score − min) ÷ (max − min)) because then the total is proportional
to the scores a reviewer gave and reads the way the round publishes its pass score: a reviewer who
rates every criterion 3 of 5 (標準的, adequate) gives 60, the file's pass score, and anyone can
recompute a total from the scores with one multiplication per criterion. The lowest possible
total is 100 × scale_min ÷ scale_max (20 on a 1–5 scale).

**Per-criterion means** are the plain means of the reviewers' scores on the scale.
**The mean total** is the mean of the reviewers' exact totals.

**Standardised totals** (when the round sets `standardise`), to remove a harsh or lenient
reviewer's bias: each reviewer's totals are turned into z-scores across that reviewer's own
applications (z = (total − the reviewer's mean) ÷ the reviewer's standard deviation, population
form), then mapped back onto the 0–100 scale with the mean and standard deviation of all the
totals of the pool (every reviewer's total on every application: pool mean + z × pool
deviation), and averaged per application. Two cases are defined:
- a reviewer with a single application: there is nothing to compare it with, so the total is
  kept as given;
- a reviewer whose totals are all equal (deviation 0) on two or more applications: the reviewer
  did not tell the applications apart, so each of those totals counts as the pool mean (z = 0).
The standardised total is clamped to 0–100. Each reviewer's figures behind it (the reviewer's
mean and deviation across their applications, the z-score, the mapped total) and the pool's mean
and deviation are kept (`Standardisation`), so the aggregation page can show them and anyone can
recompute the standardised total by hand.

**Disagreement** (評価のばらつき): the range (highest − lowest reviewer total) and the
population standard deviation of the reviewer totals, flagged when either is above the round's
threshold (`disagreement_range`, `disagreement_stdev`; None: not used).

**Disqualification** (失格): a criterion mean at or below the round's `criterion_floor`, or a total
(the standardised one where the round uses it) below the amount rule's pass score.

Figures shown are Decimals rounded to two places, halves up (ROUND_HALF_UP). The floor and the
disagreement thresholds are compared with the exact values; the pass score with the total as
shown and published, the same figure the amount rule (review/amount.py) reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Literal

from dxgrant.programs.review_schema import ReviewRules
from dxgrant.programs.schema import Criterion

AppId = Hashable
ReviewerId = Hashable
# application → reviewer → criterion code → score on the scale
Scores = Mapping[AppId, Mapping[ReviewerId, Mapping[str, int]]]

TWO_PLACES = Decimal("0.01")
_CONTEXT = Context(prec=40)


def shown(value: Fraction | Decimal | int) -> Decimal:
    """Two decimals, halves up: how every figure of the review is shown."""
    if isinstance(value, Fraction):
        value = _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _sqrt(value: Fraction) -> Fraction:
    root = _CONTEXT.sqrt(_CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator)))
    return Fraction(root)


def mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def pstdev(values: Sequence[Fraction]) -> Fraction:
    """Population standard deviation (to 40 significant digits)."""
    centre = mean(values)
    return _sqrt(sum(((v - centre) ** 2 for v in values), Fraction(0)) / len(values))


def weighted_total(rubric: Sequence[Criterion], review: ReviewRules, scores: Mapping[str, int]) -> Fraction:
    """Σ weight × score ÷ scale_max, exact. Refuses a missing criterion or a score off the scale."""
    total = Fraction(0)
    for criterion in rubric:
        score = scores[criterion.code]
        if not review.scale_min <= score <= review.scale_max:
            raise ValueError(
                f"{criterion.code}: {score} is off the scale {review.scale_min}–{review.scale_max}"
            )
        total += Fraction(criterion.weight * score, review.scale_max)
    return total


@dataclass(frozen=True, slots=True)
class Disagreement:
    range: Decimal
    stdev: Decimal
    flagged: bool
    by: tuple[Literal["range", "stdev"], ...]  # which thresholds were exceeded


@dataclass(frozen=True, slots=True)
class Disqualification:
    rule: Literal["criterion_floor", "pass_score"]
    criteria: tuple[str, ...]  # the criteria at or below the floor (criterion_floor)
    threshold: Decimal  # the floor (on the scale) or the pass score (out of 100)


@dataclass(frozen=True, slots=True)
class ReviewerZ:
    """One reviewer's standardisation of their total for one application, as shown."""

    total: Decimal  # the reviewer's weighted total for this application
    mean: Decimal  # the reviewer's mean total across their applications
    stdev: Decimal  # the population deviation of those totals
    applications: int  # how many applications the reviewer's totals span
    z: Decimal | None  # (total − mean) ÷ stdev; 0 when stdev is 0; None for a single application
    mapped: Decimal  # pool mean + z × pool deviation; the total as given for a single application


@dataclass(frozen=True, slots=True)
class Standardisation:
    """The figures behind an application's standardised total: the pool's mean and deviation
    (every reviewer's total on every application of the round) and each reviewer's z."""

    pool_mean: Decimal
    pool_stdev: Decimal
    reviewers: dict[ReviewerId, ReviewerZ]


@dataclass(frozen=True, slots=True)
class Aggregate:
    reviewer_totals: dict[ReviewerId, Decimal]
    criterion_means: dict[str, Decimal]
    mean_total: Decimal
    standardised_total: Decimal | None  # None unless the round standardises
    total: Decimal  # the score of the application: standardised where the round uses it
    disagreement: Disagreement
    disqualifications: tuple[Disqualification, ...]
    standardisation: Standardisation | None = None  # None unless the round standardises

    @property
    def disqualified(self) -> bool:
        return bool(self.disqualifications)


@dataclass(frozen=True, slots=True)
class _Exact:
    """A reviewer's exact figures for one application (see ReviewerZ)."""

    total: Fraction
    mean: Fraction
    stdev: Fraction
    applications: int
    z: Fraction | None
    mapped: Fraction

    def shown(self) -> ReviewerZ:
        return ReviewerZ(
            total=shown(self.total),
            mean=shown(self.mean),
            stdev=shown(self.stdev),
            applications=self.applications,
            z=None if self.z is None else shown(self.z),
            mapped=shown(self.mapped),
        )


def _standardised(
    exact: Mapping[AppId, Mapping[ReviewerId, Fraction]],
) -> tuple[dict[AppId, Fraction], dict[AppId, Standardisation]]:
    """The standardised total of every application, exact, and the figures behind each."""
    by_reviewer: dict[ReviewerId, list[Fraction]] = defaultdict(list)
    for per_reviewer in exact.values():
        for reviewer, total in per_reviewer.items():
            by_reviewer[reviewer].append(total)
    everything = [total for totals in by_reviewer.values() for total in totals]
    pool_mean = mean(everything)
    pool_sd = pstdev(everything)
    stats = {
        reviewer: (mean(totals), pstdev(totals), len(totals)) for reviewer, totals in by_reviewer.items()
    }
    totals: dict[AppId, Fraction] = {}
    figures: dict[AppId, Standardisation] = {}
    for app, per_reviewer in exact.items():
        rows: dict[ReviewerId, _Exact] = {}
        for reviewer, total in per_reviewer.items():
            r_mean, r_sd, count = stats[reviewer]
            z: Fraction | None
            if count < 2:  # nothing to compare it with: kept as given
                z, mapped = None, total
            elif r_sd == 0:  # the reviewer did not tell the applications apart
                z, mapped = Fraction(0), pool_mean
            else:
                z = (total - r_mean) / r_sd
                mapped = pool_mean + z * pool_sd
            rows[reviewer] = _Exact(total, r_mean, r_sd, count, z, mapped)
        totals[app] = min(max(mean([row.mapped for row in rows.values()]), Fraction(0)), Fraction(100))
        figures[app] = Standardisation(
            pool_mean=shown(pool_mean),
            pool_stdev=shown(pool_sd),
            reviewers={reviewer: row.shown() for reviewer, row in rows.items()},
        )
    return totals, figures


def _disagreement(totals: Sequence[Fraction], review: ReviewRules) -> Disagreement:
    spread = max(totals) - min(totals)
    sd = pstdev(totals)
    by: list[Literal["range", "stdev"]] = []
    if review.disagreement_range is not None and spread > Fraction(review.disagreement_range):
        by.append("range")
    if review.disagreement_stdev is not None and sd > Fraction(review.disagreement_stdev):
        by.append("stdev")
    return Disagreement(range=shown(spread), stdev=shown(sd), flagged=bool(by), by=tuple(by))


def aggregate(
    scores: Scores, *, rubric: Sequence[Criterion], review: ReviewRules, pass_score: int
) -> dict[AppId, Aggregate]:
    """The aggregate of every application with at least one reviewer's scores. Standardisation
    reads the whole round, so pass all the round's submitted scores at once."""
    exact: dict[AppId, dict[ReviewerId, Fraction]] = {
        app: {reviewer: weighted_total(rubric, review, s) for reviewer, s in per_reviewer.items()}
        for app, per_reviewer in scores.items()
        if per_reviewer
    }
    standardised, behind = _standardised(exact) if review.standardise and exact else ({}, {})
    floor = review.criterion_floor
    result: dict[AppId, Aggregate] = {}
    for app, totals in exact.items():
        per_reviewer = scores[app]
        means = {c.code: mean([Fraction(s[c.code]) for s in per_reviewer.values()]) for c in rubric}
        mean_total = mean(list(totals.values()))
        total = standardised[app] if review.standardise else mean_total
        total_shown = shown(total)
        disqualifications = []
        if floor is not None:
            low = tuple(code for code, value in means.items() if value <= Fraction(floor))
            if low:
                disqualifications.append(
                    Disqualification(rule="criterion_floor", criteria=low, threshold=floor)
                )
        if total_shown < pass_score:
            disqualifications.append(
                Disqualification(rule="pass_score", criteria=(), threshold=Decimal(pass_score))
            )
        result[app] = Aggregate(
            reviewer_totals={reviewer: shown(value) for reviewer, value in totals.items()},
            criterion_means={code: shown(value) for code, value in means.items()},
            mean_total=shown(mean_total),
            standardised_total=shown(standardised[app]) if review.standardise else None,
            total=total_shown,
            disagreement=_disagreement(list(totals.values()), review),
            disqualifications=tuple(disqualifications),
            standardisation=behind.get(app),
        )
    return result
