"""The round's progress counts what the secretariat follows: screened, in review, assigned,
scored by every reviewer, and flagged because the reviewers disagree strongly."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import ScreeningDecision, ScreeningOutcome
from dxgrant.review import lifecycle, selectors
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.applications import make_application, make_version
from tests.factories.review import assign, full_marks, reviewer_in_pool, scored
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db


def test_progress_counts_screened_scored_and_flagged(programme):
    round_obj = open_round(programme)
    secretariat = UserFactory(role=Role.SECRETARIAT)
    agreed, divided, waiting = (make_application(programme, status=workflow.IN_REVIEW) for _ in range(3))
    rejected = make_application(programme, status=workflow.REJECTED)
    for application, outcome in ((agreed, "passed"), (divided, "passed"), (rejected, "rejected")):
        ScreeningDecision.objects.create(
            application=application,
            version=make_version(application),
            outcome=outcome,
            reasons="対象外の業種" if outcome == ScreeningOutcome.REJECTED else "",
            decided_by=secretariat,
            decided_at=timezone.now(),
        )
    reviewers = [reviewer_in_pool(round_obj) for _ in range(3)]
    for i, reviewer in enumerate(reviewers):
        scored(assign(agreed, reviewer, status=lifecycle.SCORING), full_marks(round_obj, 4))
        # Totals 100, 100 and 20: a range of 80 points, over the round's 30.
        scored(assign(divided, reviewer, status=lifecycle.SCORING), full_marks(round_obj, 1 if i == 0 else 5))
        assign(waiting, reviewer)

    progress = selectors.progress(round_obj)
    assert (progress.screened, progress.screening_rejected) == (3, 1)
    assert (progress.in_review, progress.full, progress.scored, progress.flagged) == (3, 3, 2, 1)

    page = signed_in(secretariat).get(f"/staff/review/rounds/{round_obj.code}/").content.decode()
    assert "評点が大きく割れた申請" in page
