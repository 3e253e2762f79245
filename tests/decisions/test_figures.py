"""The decision's adapter over the review's pure modules: outcomes named as the decision records
them (awarded, rejected, disqualified), the passed-over flag, and overrides. The arithmetic
itself is tested with the pure modules (tests/review)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.decisions import figures
from dxgrant.programs.review_schema import ReviewRules
from dxgrant.programs.schema import AmountRule, Criterion

RUBRIC = [
    Criterion(code=c, name_ja=c, name_en=c, weight=w, description_ja=c, description_en=c)
    for c, w in [
        ("feasibility", 25),
        ("effect", 20),
        ("scale", 10),
        ("ripple", 15),
        ("management", 20),
        ("regional", 10),
    ]
]
RULE = AmountRule(
    cap_yen=100_000_000, floor_yen=1_000_000, rate_numerator=2, rate_denominator=3,
    rounding_unit_yen=1000, rounding="down", pass_score=60,
)  # fmt: skip
T0 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def at(level: int) -> dict[str, int]:
    return {c.code: level for c in RUBRIC}


def test_aggregate_flags_and_disqualifies():
    review = ReviewRules(disagreement_range=Decimal("30"), criterion_floor=Decimal("1.5"))
    scored = {
        1: [(10, at(5)), (11, at(4)), (12, at(2))],
        2: [(10, at(5) | {"scale": 1})] * 3,
        3: [(10, at(2))] * 3,
    }
    result = figures.aggregate_round(RUBRIC, review, 60, scored)
    assert result[1].total == Decimal("73.33") and result[1].flagged and not result[1].disqualified
    assert result[1].spread == Decimal("60.00")
    assert result[2].disqualified and result[2].disqualified_because == ["scale"]
    # Below the pass score: not "disqualified" by the review; the amount rule gives nothing.
    assert not result[3].disqualified and result[3].disqualified_because == ["pass_score"]


def sheet(eligible: int, score: str, disqualified: bool = False) -> figures.AmountSheet:
    return figures.amount_sheet(
        RULE, eligible_cost_yen=eligible, score=Decimal(score), disqualified=disqualified
    )


def test_amount_sheet_worked_example():
    """12,345,678円 × 2/3 = 8,230,452円 → rounded down to 1,000円: 8,230,000円."""
    s = sheet(12_345_678, "70")
    assert (s.rate, s.rule.rounded_yen, s.proposed_yen, s.outcome_by_rule) == (
        "2/3",
        8_230_000,
        8_230_000,
        "fundable",
    )
    assert s.as_json()["raw_yen"] == "8230452/1"
    assert sheet(12_345_678, "70", disqualified=True).proposed_yen == 0
    assert sheet(12_345_678, "70", disqualified=True).outcome_by_rule == "disqualified"
    assert sheet(1_400_000, "90").outcome_by_rule == "below_floor"


def candidate(app: int, eligible: int, **kw) -> figures.Candidate:
    disqualified = kw.pop("disqualified", False)
    return figures.Candidate(app, Decimal(90 - app), T0, sheet(eligible, str(90 - app), disqualified), **kw)


def test_rank_names_outcomes_and_passes_over():
    ranked, _ = figures.rank(
        [
            candidate(1, 9_000_000),
            candidate(2, 7_500_000),
            candidate(3, 4_500_000),
            candidate(4, 4_500_000, disqualified=True),
        ],
        10_000_000,
    )
    assert [(r.outcome, r.amount_yen, r.passed_over) for r in ranked] == [
        ("awarded", 6_000_000, False),
        ("rejected", 0, True),
        ("awarded", 3_000_000, False),
        ("disqualified", 0, False),
    ]


def test_rank_overrides():
    ranked, _ = figures.rank(
        [
            candidate(1, 9_000_000, decided_yen=4_000_000),
            candidate(2, 7_500_000),
            candidate(3, 4_500_000, forced_outcome="rejected"),
        ],
        10_000_000,
    )
    assert [(r.outcome, r.amount_yen, r.overridden) for r in ranked] == [
        ("awarded", 4_000_000, True),
        ("awarded", 5_000_000, False),
        ("rejected", 0, True),
    ]


@given(
    st.lists(st.integers(min_value=0, max_value=200_000_000), max_size=30),
    st.integers(min_value=0, max_value=500_000_000),
)
def test_never_above_the_budget(eligible, budget):
    ranked, _ = figures.rank([candidate(i, e) for i, e in enumerate(eligible)], budget)
    assert sum(r.amount_yen for r in ranked if r.outcome == "awarded") <= budget
    assert all(r.amount_yen == 0 for r in ranked if r.outcome != "awarded")
