"""Ranking within the budget (review/ranking.py): the worked examples of docs/review-rules.md,
ties, the committee's changes, "what if" budgets, and properties of the budget walk."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxgrant.review import ranking

from .examples import BUDGET, OVERRIDDEN, RANKING_ENTRIES, T0, doc, render_ranking


@pytest.mark.parametrize(
    ("entries", "budget"),
    [(RANKING_ENTRIES, BUDGET), (OVERRIDDEN, BUDGET), (RANKING_ENTRIES, 120_000_000)],
    ids=["budget", "committee", "what-if"],
)
def test_the_documents_worked_examples_are_what_the_code_computes(entries, budget):
    assert render_ranking(entries, budget) in doc()


def test_a_proposal_that_does_not_fit_is_passed_over_and_smaller_ones_still_fit():
    result = ranking.rank(RANKING_ENTRIES, BUDGET)
    by_id = {row.entry.application_id: row for row in result.rows}
    assert by_id[103].reason == "budget" and by_id[104].funded and by_id[106].funded
    assert (result.awarded_total_yen, result.remaining_yen, result.funded_count) == (95_000_000, 5_000_000, 4)
    assert result.cutoff is not None and result.cutoff.entry.application_id == 106
    assert result.first_passed_over is not None and result.first_passed_over.entry.application_id == 103
    assert (by_id[105].reason, by_id[107].reason, by_id[108].reason) == (
        "disqualified",
        "below_floor",
        "disqualified",
    )


def test_ties_go_to_the_earlier_submission_then_the_lower_id():
    same = Decimal("70.00")
    entries = [
        ranking.Entry(3, same, T0, 1_000_000, "fundable"),
        ranking.Entry(2, same, T0 + dt.timedelta(seconds=1), 1_000_000, "fundable"),
        ranking.Entry(1, same, T0 + dt.timedelta(seconds=1), 1_000_000, "fundable"),
        ranking.Entry(9, Decimal("70.01"), T0 + dt.timedelta(days=9), 1_000_000, "fundable"),
    ]
    assert [row.entry.application_id for row in ranking.rank(entries, 0).rows] == [9, 3, 1, 2]


def test_the_committee_may_reduce_or_withhold_but_never_raise():
    first = RANKING_ENTRIES[0]
    reduced = dataclasses.replace(first, decided_yen=30_000_000)
    assert ranking.rank([reduced], BUDGET).rows[0].amount_yen == 30_000_000
    withheld = ranking.rank([dataclasses.replace(first, decided_yen=0)], BUDGET).rows[0]
    assert (withheld.funded, withheld.reason) == (False, "committee")
    rejected = ranking.rank([dataclasses.replace(first, forced_outcome="rejected")], BUDGET).rows[0]
    assert (rejected.funded, rejected.reason) == (False, "committee")
    with pytest.raises(ValueError, match="above the rule's"):
        ranking.rank([dataclasses.replace(first, decided_yen=40_000_001)], BUDGET)
    disqualified = RANKING_ENTRIES[4]
    with pytest.raises(ValueError, match="above the rule's"):
        ranking.rank(
            [dataclasses.replace(disqualified, forced_outcome="awarded", decided_yen=20_000_001)], BUDGET
        )


def test_a_forced_award_still_has_to_fit_the_budget():
    disqualified = dataclasses.replace(RANKING_ENTRIES[4], forced_outcome="awarded")
    row = ranking.rank([disqualified], 19_999_999).rows[0]
    assert (row.amount_yen, row.funded, row.reason) == (20_000_000, False, "budget")


def test_an_empty_round_has_no_cut_off():
    result = ranking.rank([], BUDGET)
    assert (result.rows, result.cutoff, result.first_passed_over, result.remaining_yen) == (
        [],
        None,
        None,
        BUDGET,
    )


entries = st.lists(
    st.builds(
        ranking.Entry,
        application_id=st.integers(min_value=1, max_value=10**6),
        score=st.decimals(min_value=0, max_value=100, places=2),
        submitted_at=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 6, 1)).map(
            lambda d: d.replace(tzinfo=dt.UTC)
        ),
        proposed_yen=st.integers(min_value=1_000_000, max_value=100_000_000),
        outcome_by_rule=st.sampled_from(["fundable", "fundable", "fundable", "disqualified"]),
    ),
    max_size=40,
    unique_by=lambda e: e.application_id,
)
budgets = st.integers(min_value=0, max_value=10**9)


@given(entries=entries, budget=budgets)
def test_the_walk_never_exceeds_the_budget_and_passes_over_only_what_does_not_fit(entries, budget):
    result = ranking.rank(entries, budget)
    assert [row.rank for row in result.rows] == list(range(1, len(entries) + 1))
    assert result.awarded_total_yen == sum(row.amount_yen for row in result.rows if row.funded) <= budget
    assert result.remaining_yen == budget - result.awarded_total_yen
    for row in result.rows:
        if row.reason == "budget":
            assert row.amount_yen > row.remaining_yen  # it really did not fit at its turn
        if row.entry.outcome_by_rule != "fundable":
            assert not row.funded
    keys = [(-row.entry.score, row.entry.submitted_at, row.entry.application_id) for row in result.rows]
    assert keys == sorted(keys)


@given(entries=entries, budget=budgets, more=st.integers(min_value=0, max_value=10**8))
def test_a_bigger_budget_keeps_everything_funded_above_the_first_passed_over(entries, budget, more):
    small = ranking.rank(entries, budget)
    large = ranking.rank(entries, budget + more)
    stop = small.first_passed_over.rank if small.first_passed_over else len(entries) + 1
    for before, after in zip(small.rows[: stop - 1], large.rows[: stop - 1], strict=True):
        assert before.funded == after.funded
    if small.first_passed_over and more >= small.first_passed_over.amount_yen:
        assert large.rows[stop - 1].funded
