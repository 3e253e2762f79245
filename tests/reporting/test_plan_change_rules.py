"""The rules of a plan change (reporting/plan_change_rules.py): pure, with worked examples and
properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.reporting import plan_change_rules as rules

LABELS = ["クラウド受発注システム", "データ活用研修"]


def test_moving_money_within_the_limit_is_allowed():
    # 4,000,000 total, 20 %: at most 800,000 may move into lines.
    assert rules.shift_limit_yen(4_000_000, 20) == 800_000
    assert (
        rules.budget_problems([3_000_000, 1_000_000], [2_200_000, 1_800_000], LABELS, max_shift_percent=20)
        == []
    )


def test_a_line_may_go_to_zero_and_the_total_may_shrink():
    assert rules.budget_problems([3_000_000, 1_000_000], [3_000_000, 0], LABELS, max_shift_percent=20) == []


def test_a_total_that_grows_is_refused_naming_the_line_that_grew():
    problems = rules.budget_problems(
        [3_000_000, 1_000_000], [3_000_000, 1_000_001], LABELS, max_shift_percent=20
    )
    assert [p.field for p in problems] == ["line-1"]
    assert "「データ活用研修」" in problems[0].message and "4,000,001" in problems[0].message


def test_increases_over_the_limit_are_refused_naming_the_line():
    problems = rules.budget_problems(
        [3_000_000, 1_000_000], [2_199_999, 1_800_001], LABELS, max_shift_percent=20
    )
    assert [p.field for p in problems] == ["line-1"]
    assert "800,001" in problems[0].message and "800,000" in problems[0].message


def test_a_negative_amount_is_refused():
    problems = rules.budget_problems([3_000_000, 1_000_000], [-1, 1_000_000], LABELS, max_shift_percent=20)
    assert [p.field for p in problems] == ["line-0"]


def test_a_different_number_of_lines_is_refused():
    assert rules.budget_problems([1, 2], [1], LABELS, max_shift_percent=20)[0].field == "__all__"


def test_milestones_need_a_title_and_a_date_inside_the_period():
    starts, ends = dt.date(2026, 4, 1), dt.date(2027, 3, 31)
    problems = rules.milestone_problems(
        [
            {"title": "", "due": dt.date(2026, 5, 1)},
            {"title": "本稼働", "due": dt.date(2027, 4, 1)},
            {"title": "研修", "due": None},
            {"title": "導入", "due": dt.date(2027, 3, 31)},
        ],
        starts=starts,
        ends=ends,
    )
    assert [p.field for p in problems] == ["milestone-0-title", "milestone-1-due", "milestone-2-due"]
    assert "本稼働" in problems[1].message and "2027-03-31" in problems[1].message


def test_at_least_one_milestone():
    problems = rules.milestone_problems([], starts=dt.date(2026, 4, 1), ends=dt.date(2027, 3, 31))
    assert [p.field for p in problems] == ["milestone-0-title"]


def test_the_last_day_to_request():
    assert rules.last_request_day(dt.date(2027, 3, 31), 30) == dt.date(2027, 3, 1)


def test_new_amounts_keep_the_lines_and_follow_the_tax_rate():
    lines = [
        {"item": "A", "eligible_amount_yen": 100, "amount_yen": 110, "tax_rate_percent": 10, "quantity": 1}
    ]
    assert rules.with_amounts(lines, [200]) == [
        {"item": "A", "eligible_amount_yen": 200, "amount_yen": 220, "tax_rate_percent": 10, "quantity": 1}
    ]
    assert rules.with_amounts(lines, [100]) == lines


amounts = st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=6)


@given(old=amounts, data=st.data(), percent=st.integers(min_value=0, max_value=100))
def test_accepted_changes_never_grow_the_total_nor_move_more_than_the_limit(old, data, percent):
    new = data.draw(st.lists(st.integers(min_value=0, max_value=10**8), min_size=len(old), max_size=len(old)))
    labels = [f"L{i}" for i in range(len(old))]
    problems = rules.budget_problems(old, new, labels, max_shift_percent=percent)
    within = sum(new) <= sum(old) and rules.increases_yen(old, new) <= sum(old) * percent // 100
    assert (problems == []) == within
    # Every problem names a line that grew.
    assert all(
        p.field.startswith("line-") and new[int(p.field[5:])] > old[int(p.field[5:])] for p in problems
    )


@given(old=amounts)
def test_moving_nothing_is_always_allowed(old):
    assert rules.budget_problems(old, old, [""] * len(old), max_shift_percent=0) == []


@given(old=amounts, data=st.data())
def test_taking_money_away_only_is_always_allowed(old, data):
    new = [data.draw(st.integers(min_value=0, max_value=a)) for a in old]
    assert rules.budget_problems(old, new, [""] * len(old), max_shift_percent=0) == []
