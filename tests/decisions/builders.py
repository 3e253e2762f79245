"""Reviewed applications for the decision's tests: an application in review, its submitted
version (the snapshot carries the eligible cost), and submitted scores written with the ORM."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.programs.models import Programme, Round
from dxgrant.review import lifecycle
from dxgrant.review.models import Assignment, Score
from tests.factories import UserFactory
from tests.factories.applications import make_application, make_version

_reviewers = itertools.count(1)
_seconds = itertools.count(1)


def reviewers(n: int = 3) -> list[User]:
    return [
        UserFactory(email=f"reviewer-{next(_reviewers)}@example.jp", role=Role.REVIEWER) for _ in range(n)
    ]


def all_at(round_obj: Round, level: int) -> dict[str, int]:
    return {c.code: level for c in round_obj.rules.rubric}


def reviewed(
    programme: Programme,
    round_obj: Round,
    *,
    eligible_yen: int,
    scores: list[dict[str, int]],
    people: list[User],
    secretariat: User,
    company_name: str | None = None,
) -> Application:
    """An application in review with a submitted version and one submitted score per reviewer."""
    application = make_application(
        programme, round_obj=round_obj, status=workflow.IN_REVIEW, company_name=company_name
    )
    application.eligible_total_yen = eligible_yen
    application.budget_total_yen = eligible_yen * 11 // 10
    application.submitted_at = timezone.now() + dt.timedelta(seconds=next(_seconds))
    application.save(update_fields=["eligible_total_yen", "budget_total_yen", "submitted_at"])
    make_version(application)
    for reviewer, given in zip(people, scores, strict=True):
        assignment = Assignment.objects.create(
            application=application,
            reviewer=reviewer,
            status=lifecycle.SUBMITTED,
            assigned_by=secretariat,
            due_on=timezone.localdate(),
        )
        Score.objects.create(
            assignment=assignment,
            scores=given,
            comments={code: "コメント" for code in given},
            overall_comment="総評",
            submitted_at=timezone.now(),
        )
    return application
