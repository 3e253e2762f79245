"""Aggregation of the scores (review/scoring.py): the worked examples of docs/review-rules.md,
an independent recomputation of the z-scores, the defined edge cases, and properties."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxgrant.programs.review_schema import ReviewRules
from dxgrant.review import scoring

from .examples import (
    CODES,
    PLAIN,
    RUBRIC,
    SCORES,
    STANDARDISED,
    _scores,
    doc,
    render_aggregates,
    render_standardisation,
)


def run(scores, review=PLAIN, pass_score=60):
    return scoring.aggregate(scores, rubric=RUBRIC, review=review, pass_score=pass_score)


@pytest.mark.parametrize("review", [PLAIN, STANDARDISED], ids=["plain", "standardised"])
def test_the_documents_worked_examples_are_what_the_code_computes(review):
    assert render_aggregates(review) in doc()


def test_the_documents_per_reviewer_z_scores_are_what_the_code_computes():
    assert render_standardisation("P") in doc()


def test_each_reviewers_z_agrees_with_an_independent_computation():
    by_reviewer: dict[str, list[float]] = {}
    for per_reviewer in SCORES.values():
        for reviewer, s in per_reviewer.items():
            by_reviewer.setdefault(reviewer, []).append(sum(c.weight * s[c.code] for c in RUBRIC) / 5)
    pool = [t for totals in by_reviewer.values() for t in totals]
    result = run(SCORES, STANDARDISED)
    for agg in result.values():
        behind = agg.standardisation
        assert behind is not None
        assert float(behind.pool_mean) == pytest.approx(statistics.mean(pool), abs=0.005)
        assert float(behind.pool_stdev) == pytest.approx(statistics.pstdev(pool), abs=0.005)
        assert set(behind.reviewers) == {"harsh", "fair", "lenient"}
        for reviewer, z in behind.reviewers.items():
            totals = by_reviewer[reviewer]
            exact_z = (float(z.total) - statistics.mean(totals)) / statistics.pstdev(totals)
            assert z.total == agg.reviewer_totals[reviewer] and z.applications == 4
            assert float(z.mean) == pytest.approx(statistics.mean(totals), abs=0.005)
            assert float(z.stdev) == pytest.approx(statistics.pstdev(totals), abs=0.005)
            assert float(z.z) == pytest.approx(exact_z, abs=0.005)
            expected = statistics.mean(pool) + exact_z * statistics.pstdev(pool)
            assert float(z.mapped) == pytest.approx(expected, abs=0.005)
        # the standardised total is the mean of the reviewers' standardised totals
        mapped = [z.mapped for z in behind.reviewers.values()]
        assert abs(sum(mapped) / len(mapped) - agg.standardised_total) <= Decimal("0.01")


def test_a_reviewer_with_one_application_has_no_z_and_one_who_scores_all_alike_has_z_0():
    scores = {
        "A": {"solo": _scores(5, 5, 5, 5, 5, 5), "flat": _scores(3, 3, 3, 3, 3, 3)},
        "B": {"flat": _scores(3, 3, 3, 3, 3, 3), "other": _scores(4, 4, 4, 4, 4, 4)},
        "C": {"other": _scores(2, 2, 2, 2, 2, 2)},
    }
    result = run(scores, STANDARDISED)
    a = result["A"].standardisation
    assert a is not None and (a.pool_mean, a.pool_stdev) == (Decimal("68.00"), Decimal("20.40"))
    # "solo" has nothing to compare its total with: no z, the total kept as given.
    assert a.reviewers["solo"] == scoring.ReviewerZ(
        total=Decimal("100.00"),
        mean=Decimal("100.00"),
        stdev=Decimal("0.00"),
        applications=1,
        z=None,
        mapped=Decimal("100.00"),
    )
    # "flat" gave 60 twice: deviation 0, z = 0, the pool mean.
    assert a.reviewers["flat"] == scoring.ReviewerZ(
        total=Decimal("60.00"),
        mean=Decimal("60.00"),
        stdev=Decimal("0.00"),
        applications=2,
        z=Decimal("0.00"),
        mapped=Decimal("68.00"),
    )
    assert result["B"].standardisation.reviewers["flat"] == a.reviewers["flat"]
    # "other" gave 80 and 40: mean 60, deviation 20, z = ±1, the pool mean ± its deviation.
    other_b = result["B"].standardisation.reviewers["other"]
    assert (other_b.mean, other_b.stdev, other_b.z, other_b.mapped) == (
        Decimal("60.00"),
        Decimal("20.00"),
        Decimal("1.00"),
        Decimal("88.40"),
    )
    assert result["C"].standardisation.reviewers["other"].z == Decimal("-1.00")


def test_without_standardisation_there_are_no_z_scores():
    assert all(agg.standardisation is None for agg in run(SCORES).values())


def test_a_reviewers_total_is_the_weighted_sum_over_the_top_of_the_scale():
    result = run(SCORES)
    assert result["P"].reviewer_totals == {
        "harsh": Decimal("56.00"),
        "fair": Decimal("76.00"),
        "lenient": Decimal("98.00"),
    }
    assert result["P"].criterion_means["scale"] == Decimal("3.00")
    assert result["P"].mean_total == Decimal("76.67")  # 230 / 3 = 76.666…, halves up
    assert result["P"].standardised_total is None and result["P"].total == Decimal("76.67")
    every_3 = run({"X": {"r": _scores(3, 3, 3, 3, 3, 3)}})["X"]
    assert every_3.total == Decimal("60.00") and not every_3.disqualified  # 3 of 5 is the pass score


def test_the_standardised_totals_agree_with_an_independent_computation():
    by_reviewer: dict[str, list[float]] = {}
    raw: dict[str, dict[str, float]] = {}
    for app, per_reviewer in SCORES.items():
        for reviewer, s in per_reviewer.items():
            total = sum(c.weight * s[c.code] for c in RUBRIC) / 5
            raw.setdefault(app, {})[reviewer] = total
            by_reviewer.setdefault(reviewer, []).append(total)
    pool = [t for totals in by_reviewer.values() for t in totals]
    pool_mean, pool_sd = statistics.mean(pool), statistics.pstdev(pool)
    result = run(SCORES, STANDARDISED)
    for app, totals in raw.items():
        mapped = [
            pool_mean + (t - statistics.mean(by_reviewer[r])) / statistics.pstdev(by_reviewer[r]) * pool_sd
            for r, t in totals.items()
        ]
        assert float(result[app].standardised_total) == pytest.approx(statistics.mean(mapped), abs=0.006)
        assert result[app].total == result[app].standardised_total


def test_a_reviewer_with_one_application_keeps_the_total_and_one_who_scores_all_alike_counts_as_the_mean():
    scores = {
        "A": {"solo": _scores(5, 5, 5, 5, 5, 5), "flat": _scores(3, 3, 3, 3, 3, 3)},
        "B": {"flat": _scores(3, 3, 3, 3, 3, 3), "other": _scores(4, 4, 4, 4, 4, 4)},
        "C": {"other": _scores(2, 2, 2, 2, 2, 2)},
    }
    result = run(scores, STANDARDISED)
    # The pool: 100, 60, 60, 80, 40 → mean 68. "solo" keeps 100; "flat" counts as 68.
    assert result["A"].standardised_total == Decimal("84.00")
    # The pool's deviation: √((32² + 8² + 8² + 12² + 28²) / 5) = √416 = 20.396…; "other" gives
    # 80 and 40 (z = ±1): B = (68 + 68 + 20.396…) / 2 = 78.198… → 78.20; C = 68 − 20.396… → 47.60.
    assert result["B"].standardised_total == Decimal("78.20")
    assert result["C"].standardised_total == Decimal("47.60")


def test_everyone_giving_the_same_total_changes_nothing():
    same = {app: {r: _scores(4, 4, 4, 4, 4, 4) for r in ("a", "b")} for app in ("X", "Y")}
    result = run(same, STANDARDISED)
    assert {agg.total for agg in result.values()} == {Decimal("80.00")}


def test_disagreement_is_flagged_above_the_range_or_the_deviation():
    result = run(SCORES)
    assert result["P"].disagreement.flagged and result["P"].disagreement.by == ("range",)
    assert result["Q"].disagreement.range == Decimal("28.00") and not result["Q"].disagreement.flagged
    by_stdev = run(SCORES, ReviewRules(disagreement_range=None, disagreement_stdev=Decimal("11")))
    assert by_stdev["Q"].disagreement.stdev == Decimal("11.78")
    assert by_stdev["Q"].disagreement.by == ("stdev",)
    off = run(SCORES, ReviewRules(disagreement_range=None))
    assert not any(agg.disagreement.flagged for agg in off.values())


def test_exactly_the_threshold_is_not_above_it():
    scores = {"X": {"a": _scores(2, 2, 2, 2, 2, 2), "b": _scores(3, 3, 3, 3, 3, 3)}}  # 40 and 60
    assert not run(scores, ReviewRules(disagreement_range=Decimal(20)))["X"].disagreement.flagged
    assert run(scores, ReviewRules(disagreement_range=Decimal("19.99")))["X"].disagreement.flagged


def test_disqualification_names_the_rule_and_the_criterion():
    s = run(SCORES)["S"]
    rules = {d.rule: d for d in s.disqualifications}
    assert rules["criterion_floor"].criteria == ("regional",)
    assert rules["criterion_floor"].threshold == Decimal("1.5")
    assert rules["pass_score"].threshold == Decimal(60)
    at_floor = {"X": {"a": _scores(5, 5, 5, 5, 5, 1), "b": _scores(5, 5, 5, 5, 5, 2)}}  # regional mean 1.5
    assert run(at_floor)["X"].disqualifications[0].criteria == ("regional",)
    no_floor = ReviewRules(criterion_floor=None)
    assert not run(at_floor, no_floor)["X"].disqualified


def test_a_score_off_the_scale_or_a_missing_criterion_is_refused():
    with pytest.raises(ValueError, match="off the scale"):
        run({"X": {"a": _scores(6, 5, 5, 5, 5, 5)}})
    with pytest.raises(KeyError):
        run({"X": {"a": {"feasibility": 3}}})


one_reviewer = st.fixed_dictionaries({code: st.integers(min_value=1, max_value=5) for code in CODES})
rounds = st.dictionaries(
    st.sampled_from(["A", "B", "C", "D", "E"]),
    st.dictionaries(st.sampled_from(["r1", "r2", "r3", "r4"]), one_reviewer, min_size=1, max_size=4),
    min_size=1,
)


@given(scores=rounds, standardise=st.booleans())
def test_totals_stay_on_the_scale_and_the_mean_lies_between_the_reviewers(scores, standardise):
    result = run(scores, ReviewRules(standardise=standardise))
    for agg in result.values():
        totals = agg.reviewer_totals.values()
        assert all(Decimal(20) <= t <= Decimal(100) for t in totals)
        assert min(totals) <= agg.mean_total <= max(totals)
        assert Decimal(0) <= agg.total <= Decimal(100)
        assert agg.disagreement.range == max(totals) - min(totals)
        behind = agg.standardisation
        assert (behind is not None) == standardise
        if behind is not None:
            assert set(behind.reviewers) == set(agg.reviewer_totals)
            assert all(z.total == agg.reviewer_totals[r] for r, z in behind.reviewers.items())


def test_standardising_removes_a_harsh_or_lenient_reviewers_bias():
    """A harsh reviewer gives 40 and 60, a lenient one 80 and 100 to their own two applications:
    by the mean the lenient one's worse application beats the harsh one's better; standardised,
    each reviewer's better application scores the same, and so does each worse one."""
    scores = {
        "X1": {"harsh": _scores(2, 2, 2, 2, 2, 2)},
        "X2": {"harsh": _scores(3, 3, 3, 3, 3, 3)},
        "Y1": {"lenient": _scores(4, 4, 4, 4, 4, 4)},
        "Y2": {"lenient": _scores(5, 5, 5, 5, 5, 5)},
    }
    plain = run(scores)
    assert plain["Y1"].total > plain["X2"].total
    standardised = run(scores, STANDARDISED)
    assert standardised["X2"].total == standardised["Y2"].total > standardised["X1"].total
    assert standardised["X1"].total == standardised["Y1"].total


@given(scores=rounds)
def test_standardised_scores_keep_each_reviewers_own_order_when_one_reviewer_scores_all(scores):
    """With a single reviewer on every application, standardising maps that reviewer's totals
    through an increasing line: the order of the applications is kept."""
    single = {app: {"r": next(iter(per.values()))} for app, per in scores.items()}
    plain = run(single)
    standardised = run(single, STANDARDISED)
    for a in single:
        for b in single:
            if plain[a].total < plain[b].total:
                assert standardised[a].total <= standardised[b].total
