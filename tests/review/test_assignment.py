"""Assignment of reviewers (review/assignment.py): N distinct reviewers, no conflicted pair,
balanced loads, the same seed giving the same draw, existing assignments kept, shortfalls said."""

from __future__ import annotations

import time
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.review.assignment import assign


def by_application(pairs):
    result: dict[object, list[object]] = {}
    for app, reviewer in pairs:
        result.setdefault(app, []).append(reviewer)
    return result


def test_each_application_gets_n_distinct_reviewers_with_balanced_loads():
    result = assign(list(range(100)), ["a", "b", "c", "d", "e", "f", "g"], per_application=3, seed=7)
    assert result.short == {}
    for reviewers in by_application(result.pairs).values():
        assert len(reviewers) == len(set(reviewers)) == 3
    assert max(result.loads.values()) - min(result.loads.values()) <= 1
    assert sum(result.loads.values()) == 300


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    args = (list(range(50)), list(range(10)))
    first = assign(*args, per_application=3, seed=2026)
    assert assign(*args, per_application=3, seed=2026).pairs == first.pairs
    assert (
        assign(list(reversed(args[0])), list(reversed(args[1])), per_application=3, seed=2026).pairs
        == first.pairs
    )
    assert assign(*args, per_application=3, seed=2027).pairs != first.pairs


def test_no_conflicted_pair_is_ever_drawn():
    conflicts = {(app, reviewer) for app in range(30) for reviewer in range(5) if (app + reviewer) % 3 == 0}
    result = assign(list(range(30)), list(range(5)), per_application=2, conflicts=conflicts, seed=1)
    assert not set(result.pairs) & conflicts
    assert result.short == {}


def test_existing_assignments_are_kept_and_only_the_missing_places_filled():
    existing = [(1, "a"), (1, "b"), (2, "a"), (2, "b"), (2, "c")]
    # "c" declared a conflict on 1: the caller drops (1, "c") from the existing and adds the conflict.
    result = assign(
        [1, 2], ["a", "b", "c", "d"], per_application=3, existing=existing, conflicts={(1, "c")}, seed=3
    )
    assert result.pairs == [(1, "d")]
    assert result.loads == {"a": 2, "b": 2, "c": 1, "d": 1}


def test_an_application_that_cannot_get_its_reviewers_is_reported_not_raised():
    conflicts = {(1, "a"), (1, "b")}
    result = assign([1, 2], ["a", "b", "c"], per_application=2, conflicts=conflicts, seed=0)
    assert result.short == {1: 1}
    assert by_application(result.pairs)[1] == ["c"]
    too_few = assign([1], ["a"], per_application=3, seed=0)
    assert too_few.short == {1: 2} and too_few.pairs == [(1, "a")]


def test_ten_thousand_applications_times_three_across_a_hundred_reviewers_in_seconds():
    started = time.perf_counter()
    result = assign(list(range(10_000)), list(range(100)), per_application=3, seed=10)
    assert time.perf_counter() - started < 5
    assert len(result.pairs) == 30_000 and result.short == {}
    assert set(Counter(reviewer for _, reviewer in result.pairs).values()) == {300}


@given(
    apps=st.integers(min_value=1, max_value=40),
    reviewers=st.integers(min_value=1, max_value=12),
    per=st.integers(min_value=1, max_value=4),
    conflict_pairs=st.sets(st.tuples(st.integers(0, 39), st.integers(0, 11)), max_size=30),
    seed=st.integers(),
)
def test_any_draw_keeps_the_rules(apps, reviewers, per, conflict_pairs, seed):
    result = assign(
        list(range(apps)), list(range(reviewers)), per_application=per, conflicts=conflict_pairs, seed=seed
    )
    assert not set(result.pairs) & conflict_pairs
    assert len(set(result.pairs)) == len(result.pairs)
    got = Counter(app for app, _ in result.pairs)
    for app in range(apps):
        assert got[app] + result.short.get(app, 0) == per
        allowed = sum(1 for r in range(reviewers) if (app, r) not in conflict_pairs)
        assert got[app] == min(per, allowed)  # a shortfall only where the conflicts leave too few
    if not conflict_pairs:
        loads = list(result.loads.values())
        assert max(loads) - min(loads) <= 1
