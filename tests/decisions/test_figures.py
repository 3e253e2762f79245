"""The decision's arithmetic without the database: weighted totals, aggregation (with and
without z-scores), the amount sheet, and the ranking within the budget."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.decisions import figures
from dxgrant.programs.schema import AmountRule, Criterion, ReviewRules

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


def at(level: int) -> dict[str, int]:
    return {c.code: level for c in RUBRIC}


def test_weighted_total_is_out_of_100():
    review = ReviewRules()
    assert figures.weighted_total(RUBRIC, review, at(5)) == Decimal("100.00")
    assert figures.weighted_total(RUBRIC, review, at(1)) == Decimal("0.00")
    assert figures.weighted_total(RUBRIC, review, at(4)) == Decimal("75.00")
    # feasibility 5 (25), the rest 3 (half of 75)
    assert figures.weighted_total(RUBRIC, review, at(3) | {"feasibility": 5}) == Decimal("62.50")


def test_aggregate_means_flag_and_disqualification():
    review = ReviewRules(disagreement_range=Decimal("30"), criterion_floor=Decimal("1.5"))
    scored = {
        1: [(10, at(5)), (11, at(4)), (12, at(2))],
        2: [(10, at(4)), (11, at(4)), (12, at(4) | {"scale": 1})],
    }
    result = figures.aggregate_round(RUBRIC, review, 60, scored)
    one = result[1]
    assert [r.total for r in one.reviewers] == [Decimal("100.00"), Decimal("75.00"), Decimal("25.00")]
    assert one.total == Decimal("66.67")
    assert one.spread == Decimal("75.00") and one.flagged
    assert one.criterion_means["effect"] == Decimal("3.67")
    assert not one.disqualified
    two = result[2]
    assert not two.flagged
    assert two.criterion_means["scale"] == Decimal("3.00")
    # A criterion mean at or below the floor disqualifies, whatever the total.
    low = figures.aggregate_round(RUBRIC, review, 60, {3: [(10, at(5) | {"scale": 1})] * 3})[3]
    assert low.disqualified and low.disqualified_because == ["scale"]
    below = figures.aggregate_round(RUBRIC, review, 60, {4: [(10, at(3))]})[4]
    assert below.disqualified_because == ["pass_score"]


def test_z_scores_remove_a_harsh_reviewers_bias():
    """Reviewer 20 scores everything one level lower than reviewer 10: without standardising,
    application 2 (reviewed by the harsh one) ranks lower; standardised, both rank alike."""
    scored = {
        1: [(10, at(4)), (11, at(4))],
        2: [(20, at(3)), (21, at(4))],
        3: [(10, at(3)), (11, at(3))],
        4: [(20, at(2)), (21, at(3))],
    }
    raw = figures.aggregate_round(RUBRIC, ReviewRules(), 0, scored)
    assert raw[1].score > raw[2].score
    assert raw[1].standardised is None
    z = figures.aggregate_round(RUBRIC, ReviewRules(standardise=True), 0, scored)
    assert z[1].score == z[2].score
    assert z[3].score == z[4].score
    assert z[1].score > z[3].score
    assert z[1].reviewers[0].z == Decimal("1.00")


def test_amount_sheet_worked_example():
    """12,345,678円 × 2/3 = 8,230,452円 → rounded down to 1,000円: 8,230,000円."""
    sheet = figures.amount_sheet(RULE, eligible_cost_yen=12_345_678, score=Decimal("70"), disqualified=False)
    assert sheet.before_rounding == Fraction(12_345_678 * 2, 3)
    assert sheet.rounded_yen == 8_230_000
    assert sheet.capped_yen == 8_230_000
    assert sheet.proposed_yen == 8_230_000
    assert sheet.rate == "2/3"
    assert sheet.as_json()["before_rounding_yen"] == "8230452.00"


def test_cap_floor_pass_score_and_bands():
    big = figures.amount_sheet(RULE, eligible_cost_yen=400_000_000, score=Decimal("90"), disqualified=False)
    assert big.rounded_yen == 266_666_000 and big.proposed_yen == 100_000_000
    small = figures.amount_sheet(RULE, eligible_cost_yen=1_400_000, score=Decimal("90"), disqualified=False)
    assert small.capped_yen == 933_000 and small.below_floor and small.proposed_yen == 0
    failed = figures.amount_sheet(
        RULE, eligible_cost_yen=9_000_000, score=Decimal("59.99"), disqualified=False
    )
    assert not failed.passed and failed.proposed_yen == 0
    banded = AmountRule.model_validate(
        RULE.model_dump()
        | {
            "bands": [
                {"min_score": Decimal("60"), "rate_numerator": 1, "rate_denominator": 2},
                {"min_score": Decimal("80"), "rate_numerator": 3, "rate_denominator": 4},
            ]
        }  # fmt: skip
    )
    assert (
        figures.amount_sheet(
            banded, eligible_cost_yen=9_000_000, score=Decimal("79.99"), disqualified=False
        ).rate
        == "1/2"
    )
    high = figures.amount_sheet(banded, eligible_cost_yen=9_000_000, score=Decimal("80"), disqualified=False)
    assert high.rate == "3/4" and high.proposed_yen == 6_750_000 and high.band_min_score == Decimal("80")


def test_nearest_rounding():
    rule = RULE.model_copy(update={"rounding": "nearest"})
    assert (
        figures.amount_sheet(
            rule, eligible_cost_yen=12_345_678, score=Decimal("70"), disqualified=False
        ).proposed_yen
        == 8_230_000
    )
    assert (
        figures.amount_sheet(
            rule, eligible_cost_yen=12_346_500, score=Decimal("70"), disqualified=False
        ).proposed_yen
        == 8_231_000
    )


def c(app: int, proposed: int, **kw) -> figures.Candidate:
    return figures.Candidate(app, Decimal(90 - app), proposed, kw.pop("disqualified", False), **kw)


def test_rank_passes_over_what_does_not_fit_and_takes_smaller_later_ones():
    ranked = figures.rank(
        [c(1, 6_000_000), c(2, 5_000_000), c(3, 3_000_000), c(4, 0, disqualified=True)], 10_000_000
    )
    assert [r.outcome for r in ranked] == ["awarded", "rejected", "awarded", "disqualified"]
    assert [r.running_total_yen for r in ranked] == [6_000_000, 6_000_000, 9_000_000, 9_000_000]
    assert ranked[1].passed_over and not ranked[3].passed_over


def test_rank_overrides():
    ranked = figures.rank(
        [c(1, 6_000_000, decided_yen=4_000_000), c(2, 5_000_000), c(3, 3_000_000, forced_outcome="rejected")],
        10_000_000,
    )
    assert [(r.outcome, r.amount_yen) for r in ranked] == [
        ("awarded", 4_000_000),
        ("awarded", 5_000_000),
        ("rejected", 0),
    ]
    assert ranked[0].overridden and ranked[2].overridden and not ranked[1].overridden


@given(
    st.lists(st.integers(min_value=0, max_value=100_000_000), min_size=0, max_size=40),
    st.integers(min_value=1, max_value=500_000_000),
)
def test_rank_never_exceeds_the_budget_and_is_greedy(proposals, budget):
    ranked = figures.rank([c(i, p) for i, p in enumerate(proposals)], budget)
    awarded = sum(r.amount_yen for r in ranked if r.outcome == "awarded")
    assert awarded <= budget
    for r in ranked:
        if r.passed_over:
            assert r.running_total_yen + r.candidate.proposed_yen > budget


@given(
    st.integers(min_value=0, max_value=10**10),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_amount_never_above_cap_rate_or_below_floor(eligible, score):
    sheet = figures.amount_sheet(RULE, eligible_cost_yen=eligible, score=score, disqualified=False)
    assert sheet.proposed_yen <= RULE.cap_yen
    assert sheet.proposed_yen * 3 <= eligible * 2
    assert sheet.proposed_yen == 0 or sheet.proposed_yen >= RULE.floor_yen
    assert sheet.proposed_yen % RULE.rounding_unit_yen == 0
