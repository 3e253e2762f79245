"""The amount rule (review/amount.py): worked examples (as docs/review-rules.md shows them), the
steps of the sheet, and properties that hold for any rule, cost and score."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxgrant.programs.schema import AmountRule
from dxgrant.review import amount

from .examples import AMOUNT_EXAMPLES, BANDED, RULE, doc, render_amount


@pytest.mark.parametrize("example", AMOUNT_EXAMPLES, ids=[e[0] for e in AMOUNT_EXAMPLES])
def test_the_documents_worked_examples_are_what_the_code_computes(example):
    assert render_amount(*example) in doc()


def test_a_sheet_keeps_every_step():
    sheet = amount.proposed_amount(RULE, eligible_cost_yen=12_345_679, score=Decimal("72.50"))
    assert sheet.rate == Fraction(2, 3) and sheet.rate_text == "2/3" and sheet.band is None
    assert sheet.raw_yen == Fraction(24_691_358, 3)
    assert (sheet.rounded_yen, sheet.capped, sheet.rule_yen) == (8_230_000, False, 8_230_000)
    assert sheet.passes_score and sheet.meets_floor
    assert (sheet.proposed_yen, sheet.outcome_by_rule) == (8_230_000, "fundable")


def test_the_pass_score_is_checked_before_the_floor():
    sheet = amount.proposed_amount(RULE, eligible_cost_yen=600_000, score=Decimal("10"))
    assert sheet.outcome_by_rule == "below_pass_score" and not sheet.meets_floor and sheet.proposed_yen == 0


def test_nothing_is_not_an_award_even_with_no_floor():
    rule = RULE.model_copy(update={"floor_yen": 0})
    sheet = amount.proposed_amount(rule, eligible_cost_yen=0, score=Decimal("90"))
    assert (sheet.proposed_yen, sheet.outcome_by_rule) == (0, "below_floor")


def test_nearest_rounding_takes_halves_up():
    rule = RULE.model_copy(update={"rounding": "nearest", "rate_numerator": 1, "rate_denominator": 2})
    assert (
        amount.proposed_amount(rule, eligible_cost_yen=3_000_998, score=Decimal(80)).rounded_yen == 1_500_000
    )
    assert (
        amount.proposed_amount(rule, eligible_cost_yen=3_001_000, score=Decimal(80)).rounded_yen == 1_501_000
    )


def test_a_score_below_every_band_shows_the_lowest_bands_rate_and_gets_nothing():
    rule = AmountRule.model_validate(
        RULE.model_dump() | {"bands": [{"min_score": 50, "rate_numerator": 1, "rate_denominator": 2}]}
    )
    sheet = amount.proposed_amount(rule, eligible_cost_yen=10_000_000, score=Decimal("40"))
    assert (
        sheet.rate_text == "1/2" and sheet.outcome_by_rule == "below_pass_score" and sheet.proposed_yen == 0
    )


def test_a_negative_cost_is_a_programming_error():
    with pytest.raises(ValueError, match="negative"):
        amount.proposed_amount(RULE, eligible_cost_yen=-1, score=Decimal(70))


def test_the_eligible_cost_is_read_from_the_snapshots_lines_tax_excluded():
    snapshot = {
        "budget": {
            "lines": [
                {"quantity": 3, "unit_price_yen": 1_200_000, "tax_rate_percent": 10, "amount_yen": 3_960_000},
                {"quantity": 1, "unit_price_yen": 850_000, "tax_rate_percent": 10, "amount_yen": 935_000},
            ],
            "eligible_total_yen": 4_450_000,
        }
    }
    assert amount.snapshot_eligible_cost(snapshot) == 4_450_000
    assert amount.eligible_cost([]) == 0


scores = st.decimals(min_value=0, max_value=100, places=2)
costs = st.integers(min_value=0, max_value=10**11)


@given(cost=costs, score=scores, rule=st.sampled_from([RULE, BANDED]))
def test_the_proposed_amount_keeps_to_the_rule(cost, score, rule):
    sheet = amount.proposed_amount(rule, eligible_cost_yen=cost, score=score)
    assert 0 <= sheet.proposed_yen <= rule.cap_yen
    assert sheet.proposed_yen <= cost * sheet.rate  # never more than the rate of the cost
    if sheet.proposed_yen:
        assert sheet.outcome_by_rule == "fundable"
        assert sheet.proposed_yen >= rule.floor_yen and score >= rule.pass_score
        assert sheet.proposed_yen == rule.cap_yen or sheet.proposed_yen % rule.rounding_unit_yen == 0
        if not sheet.capped:
            assert cost * sheet.rate - sheet.proposed_yen < rule.rounding_unit_yen
    else:
        assert sheet.outcome_by_rule != "fundable"


@given(low=costs, high=costs, score=scores, rule=st.sampled_from([RULE, BANDED]))
def test_more_eligible_cost_never_lowers_the_amount(low, high, score, rule):
    low, high = sorted((low, high))
    a = amount.proposed_amount(rule, eligible_cost_yen=low, score=score).proposed_yen
    b = amount.proposed_amount(rule, eligible_cost_yen=high, score=score).proposed_yen
    assert a <= b


@given(low=scores, high=scores, cost=costs)
def test_with_rising_bands_a_higher_score_never_lowers_the_amount(low, high, cost):
    low, high = sorted((low, high))
    a = amount.proposed_amount(BANDED, eligible_cost_yen=cost, score=low).proposed_yen
    b = amount.proposed_amount(BANDED, eligible_cost_yen=cost, score=high).proposed_yen
    assert a <= b
