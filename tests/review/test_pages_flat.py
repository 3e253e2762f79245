"""The review's list pages stay flat as the data grows: the same number of queries with many more
applications, reviewers, places, scores, conflicts and draws (the counts themselves are in
tests/pages/review.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.programs.models import Programme, Round
from dxgrant.review import lifecycle
from dxgrant.review.models import AssignmentRun, ConflictExclusion, ConflictSource, Score
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.review import assign, full_marks, reviewer_in_pool, scored
from tests.factories.rounds import open_round
from tests.pages import PAGES, make_objects
from tests.test_query_counts import request

pytestmark = pytest.mark.django_db


def _more(programme: Programme, round_obj: Round, reviewer, n: int = 6) -> None:
    """n more applications in review, each with the page's reviewer and two others in every
    state, a submitted score, a conflict; n more reviewers (named like the companies, so the
    conflict page suggests them); n more draws and n more rounds in review."""
    secretariat = UserFactory(role=Role.SECRETARIAT)
    for i in range(n):
        company = f"増えた申請{i}株式会社"
        application = make_application(
            programme, round_obj=round_obj, status=workflow.IN_REVIEW, company_name=company
        )
        assign(application, reviewer, by=secretariat)
        scoring = assign(
            application, reviewer_in_pool(round_obj, organisation=company), status=lifecycle.SCORING
        )
        Score.objects.create(assignment=scoring)
        scored(
            assign(application, reviewer_in_pool(round_obj), status=lifecycle.SCORING), full_marks(round_obj)
        )
        ConflictExclusion.objects.create(
            application=application,
            reviewer=reviewer_in_pool(round_obj),
            source=ConflictSource.SECRETARIAT,
            reason="同じ法人",
            recorded_by=secretariat,
        )
        AssignmentRun.objects.create(round=round_obj, seed=i, per_application=3, run_by=secretariat)
        other_round = open_round(programme, f"dx-review-more-{i}")
        make_application(programme, round_obj=other_round, status=workflow.IN_REVIEW)


def _more_places_on(application_id: int, round_obj: Round) -> None:
    application = Application.objects.get(pk=application_id)
    for _ in range(6):
        scored(
            assign(application, reviewer_in_pool(round_obj), status=lifecycle.SCORING), full_marks(round_obj)
        )
        removed = assign(application, reviewer_in_pool(round_obj))
        removed.status = lifecycle.REMOVED
        removed.save(update_fields=["status"])


@pytest.mark.parametrize(
    "name",
    [
        "review:queue",
        "staff_review:rounds",
        "staff_review:round",
        "staff_review:conflicts",
        "staff_review:application",
    ],
)
def test_review_list_pages_stay_flat(
    name: str, client: Client, client_for: Callable[[str], Client], programme: Programme
) -> None:
    page = PAGES[name]
    objects = make_objects()
    round_obj = Round.objects.get(code=objects["review_round"])
    small = len(request(client_for, client, page, **objects))
    _more(programme, round_obj, objects["review_reviewer"])
    _more_places_on(objects["review_scoring_application"], round_obj)
    large = len(request(client_for, client, page, **objects))
    assert small == large == page.queries
