from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.applications import workflow
from dxgrant.programs.models import Programme
from dxgrant.review import lifecycle, selectors
from tests.factories.applications import make_application
from tests.factories.review import assign, full_marks, reviewer_in_pool, scored
from tests.factories.rounds import open_round


def test_submitted_scores_keeps_only_locked_scores_of_holding_reviewers(programme: Programme) -> None:
    round_obj = open_round(programme)
    first = make_application(programme, status=workflow.IN_REVIEW)
    second = make_application(programme, status=workflow.IN_REVIEW)
    alice, bob, carol = (reviewer_in_pool(round_obj) for _ in range(3))
    scored(assign(first, alice), full_marks(round_obj, 5))
    scored(assign(first, bob), full_marks(round_obj, 3))
    # A draft is not a score yet.
    scored(assign(first, carol, status=lifecycle.SCORING), full_marks(round_obj, 1), submitted=False)
    # A reviewer who was removed after submitting no longer counts.
    gone = assign(second, carol)
    scored(gone, full_marks(round_obj, 2))
    gone.status = lifecycle.REMOVED
    gone.save(update_fields=["status"])
    scored(assign(second, alice), full_marks(round_obj, 4))

    with CaptureQueriesContext(connection) as queries:
        result = selectors.submitted_scores(round_obj)

    assert len(queries) == 1
    assert result == {
        first.pk: [(alice.pk, full_marks(round_obj, 5)), (bob.pk, full_marks(round_obj, 3))],
        second.pk: [(alice.pk, full_marks(round_obj, 4))],
    }


def test_submitted_scores_of_another_round_are_not_included(programme: Programme) -> None:
    round_obj = open_round(programme)
    other = open_round(programme, "other-round", closed=True)
    application = make_application(programme, round_obj=other, status=workflow.IN_REVIEW)
    scored(assign(application, reviewer_in_pool(other)), full_marks(other))
    assert selectors.submitted_scores(round_obj) == {}
    assert list(selectors.submitted_scores(other)) == [application.pk]
