"""The final-amount rule (awards/final_amount_rules.py): the worked examples of
docs/final-amount.md (rendered here and found in the page), and properties for any cost."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxgrant.awards import final_amount_rules as rules
from dxgrant.awards.final_amount_rules import Part
from dxgrant.programs.schema import AmountRule

DOC = Path(__file__).resolve().parents[2] / "docs" / "final-amount.md"

# The demo programme's rule (programs/definitions/dx-management.toml).
RULE = AmountRule(
    cap_yen=100_000_000,
    floor_yen=1_000_000,
    rate_numerator=2,
    rate_denominator=3,
    rounding_unit_yen=1000,
    rounding="down",
    pass_score=60,
)
BANDED = AmountRule.model_validate(
    RULE.model_dump()
    | {
        "bands": [
            {"min_score": 60, "rate_numerator": 1, "rate_denominator": 2},
            {"min_score": 80, "rate_numerator": 3, "rate_denominator": 4},
        ]
    }
)
SCORE = Decimal("72.50")
DECIDED = 5_000_000

# (name, eligible actual cost, the rule's amount, the final amount)
AMOUNT_EXAMPLES = [
    ("as planned", 7_500_000, 5_000_000, 5_000_000),
    ("lower actual cost", 6_000_000, 4_000_000, 4_000_000),
    ("above the plan", 9_000_000, 6_000_000, 5_000_000),
    ("rounding down", 6_001_499, 4_000_000, 4_000_000),
    ("below the floor", 1_200_000, 800_000, 0),
    ("nothing eligible", 0, 0, 0),
]


def render_amount(name: str, cost: int, rule_yen: int, final_yen: int) -> str:
    return f"| {name} | {cost:,} | {rule_yen:,} | {DECIDED:,} | {final_yen:,} |"


@pytest.mark.parametrize("example", AMOUNT_EXAMPLES, ids=[e[0] for e in AMOUNT_EXAMPLES])
def test_the_worked_amounts_are_what_the_code_computes_and_what_the_page_shows(example):
    name, cost, rule_yen, final_yen = example
    sheet = rules.final_amount(RULE, decided_yen=DECIDED, eligible_actual_yen=cost, score=SCORE)
    assert (sheet.rule_yen, sheet.final_yen) == (rule_yen, final_yen)
    assert render_amount(*example) in DOC.read_text(encoding="utf-8")


def test_below_the_floor_the_rule_gives_nothing_and_the_floor_is_not_substituted():
    sheet = rules.final_amount(RULE, decided_yen=DECIDED, eligible_actual_yen=1_499_999, score=SCORE)
    assert (sheet.rule_yen, sheet.meets_floor, sheet.by_rule_yen, sheet.final_yen) == (999_000, False, 0, 0)
    at_floor = rules.final_amount(RULE, decided_yen=DECIDED, eligible_actual_yen=1_500_000, score=SCORE)
    assert at_floor.final_yen == 1_000_000


def test_above_the_plan_is_capped_at_the_decided_amount_and_says_so():
    sheet = rules.final_amount(RULE, decided_yen=DECIDED, eligible_actual_yen=9_000_000, score=SCORE)
    assert sheet.capped_at_decided and sheet.as_json()["final_yen"] == DECIDED


def test_the_decisions_score_picks_the_bands_rate():
    low = rules.final_amount(BANDED, decided_yen=10**8, eligible_actual_yen=4_000_000, score=Decimal("70"))
    high = rules.final_amount(BANDED, decided_yen=10**8, eligible_actual_yen=4_000_000, score=Decimal("85"))
    assert (low.final_yen, high.final_yen) == (2_000_000, 3_000_000)


def test_the_pass_score_is_not_checked_again():
    sheet = rules.final_amount(RULE, decided_yen=DECIDED, eligible_actual_yen=6_000_000, score=Decimal("10"))
    assert sheet.final_yen == 4_000_000


def test_negative_inputs_are_programming_errors():
    with pytest.raises(ValueError, match="negative"):
        rules.final_amount(RULE, decided_yen=DECIDED, eligible_actual_yen=-1, score=SCORE)
    with pytest.raises(ValueError, match="negative"):
        rules.settle([], -1)


# --- what the final amount does to the instalments ---

ONE = [Part(1, "acceptance", 5_000_000, "paid")]
TWO = [Part(1, "acceptance", 3_000_000, "paid"), Part(2, "results_report_approved", 2_000_000, "pending")]
NONE_PAID = [
    Part(1, "acceptance", 3_000_000, "due"),
    Part(2, "results_report_approved", 2_000_000, "pending"),
]

# (name, instalments, final amount, expected: kept amounts, withdrawn, made due, repayment)
SETTLE_EXAMPLES = [
    ("one payment, as decided", ONE, 5_000_000, {}, [], [], 0),
    ("one payment, lower", ONE, 4_000_000, {}, [], [], 1_000_000),
    ("two, second reduced", TWO, 4_000_000, {2: 1_000_000}, [], [2], 0),
    ("two, as decided", TWO, 5_000_000, {2: 2_000_000}, [], [2], 0),
    ("two, exactly the first", TWO, 3_000_000, {}, [2], [], 0),
    ("two, below the first", TWO, 2_500_000, {}, [2], [], 500_000),
    ("two, below the floor", TWO, 0, {}, [2], [], 3_000_000),
    ("none paid yet", NONE_PAID, 2_500_000, {1: 2_500_000}, [2], [], 0),
]


def render_settlement(name: str, parts: list[Part], final_yen: int) -> str:
    s = rules.settle(parts, final_yen)
    before = " + ".join(f"{p.amount_yen:,} {p.status}" for p in parts)
    after = " + ".join(
        f"{p.amount_yen:,} paid"
        if p.status == "paid"
        else "withdrawn"
        if p.key in s.withdrawn
        else f"{s.amounts[p.key]:,} {'due' if p.key in s.made_due else p.status}"
        for p in parts
    )
    return f"| {name} | {before} | {final_yen:,} | {after} | {s.repayment_yen:,} |"


@pytest.mark.parametrize("example", SETTLE_EXAMPLES, ids=[e[0] for e in SETTLE_EXAMPLES])
def test_the_worked_settlements_are_what_the_code_computes_and_what_the_page_shows(example):
    name, parts, final_yen, amounts, withdrawn, made_due, repayment = example
    s = rules.settle(parts, final_yen)
    assert (s.amounts, s.withdrawn, s.made_due, s.repayment_yen) == (amounts, withdrawn, made_due, repayment)
    assert render_settlement(name, parts, final_yen) in DOC.read_text(encoding="utf-8")


def test_the_results_report_instalments_take_the_reduction_first_from_the_last():
    parts = [
        Part(1, "acceptance", 1_000_000, "due"),
        Part(2, "results_report_approved", 1_000_000, "pending"),
        Part(3, "results_report_approved", 1_000_000, "pending"),
    ]
    s = rules.settle(parts, 1_500_000)
    assert (s.amounts, s.withdrawn, s.made_due) == ({1: 1_000_000, 2: 500_000}, [3], [2])


def test_an_instalment_in_a_batch_is_refused():
    with pytest.raises(ValueError, match="batch"):
        rules.settle([Part(1, "acceptance", 5, "in_batch")], 5)


def test_a_final_amount_above_what_the_instalments_hold_is_refused():
    with pytest.raises(ValueError, match="less than"):
        rules.settle(TWO, 6_000_000)


# --- properties ---

costs = st.integers(min_value=0, max_value=10**10)
decided = st.integers(min_value=0, max_value=10**9)
scores = st.decimals(min_value=0, max_value=100, places=2)
any_rule = st.sampled_from([RULE, BANDED, RULE.model_copy(update={"rounding": "nearest", "floor_yen": 0})])


@given(cost=costs, decided_yen=decided, score=scores, rule=any_rule)
def test_never_above_the_decided_amount_and_never_negative(cost, decided_yen, score, rule):
    final = rules.final_amount(rule, decided_yen=decided_yen, eligible_actual_yen=cost, score=score).final_yen
    assert 0 <= final <= decided_yen


@given(low=costs, high=costs, decided_yen=decided, score=scores, rule=any_rule)
def test_monotone_in_the_eligible_cost(low, high, decided_yen, score, rule):
    low, high = sorted((low, high))
    a = rules.final_amount(rule, decided_yen=decided_yen, eligible_actual_yen=low, score=score).final_yen
    b = rules.final_amount(rule, decided_yen=decided_yen, eligible_actual_yen=high, score=score).final_yen
    assert a <= b


@st.composite
def awards(draw):
    """Instalments of a decided amount, some paid, and a final amount not above it."""
    amounts = draw(st.lists(st.integers(min_value=1, max_value=10**8), min_size=1, max_size=4))
    parts = [
        Part(
            key,
            draw(st.sampled_from(["acceptance", "results_report_approved"])),
            yen,
            draw(st.sampled_from(["paid", "pending", "due"])),
        )
        for key, yen in enumerate(amounts, start=1)
    ]
    return parts, draw(st.integers(min_value=0, max_value=sum(amounts)))


@given(award=awards())
def test_paid_plus_remaining_is_the_final_amount_plus_what_is_demanded_back(award):
    parts, final_yen = award
    s = rules.settle(parts, final_yen)
    assert s.paid_yen + s.remaining_yen - s.repayment_yen == final_yen
    assert s.repayment_yen >= 0 and all(yen > 0 for yen in s.amounts.values())
    assert not (s.repayment_yen and s.amounts)
    unpaid = {p.key for p in parts if p.status != "paid"}
    assert set(s.amounts) | set(s.withdrawn) == unpaid and not set(s.amounts) & set(s.withdrawn)
    assert all(s.amounts[p.key] <= p.amount_yen for p in parts if p.key in s.amounts)
