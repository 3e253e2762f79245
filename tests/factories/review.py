"""The review: reviewers in a round's pool, assignments and scores, built with the ORM where the
services that produce them have their own tests (tests/review/)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.applications.models import Application
from dxgrant.programs.models import Round
from dxgrant.review import lifecycle
from dxgrant.review.models import Assignment, ReviewerMembership, Score

from .accounts import UserFactory


def reviewer_in_pool(
    round_obj: Round, *, accepted: bool = True, organisation: str = "", **user: object
) -> User:
    """A reviewer (second factor enrolled) in the round's pool, the terms accepted unless told."""
    reviewer = UserFactory(role=Role.REVIEWER, **user)
    ReviewerMembership.objects.create(
        round=round_obj,
        reviewer=reviewer,
        organisation=organisation,
        terms_accepted_at=timezone.now() if accepted else None,
        terms_sha256="0" * 64 if accepted else "",
    )
    return reviewer


def assign(
    application: Application,
    reviewer: User,
    *,
    status: str = lifecycle.AWAITING_DECLARATION,
    by: User | None = None,
) -> Assignment:
    """A place of `reviewer` on `application` in `status`."""
    return Assignment.objects.create(
        application=application,
        reviewer=reviewer,
        status=status,
        assigned_by=by or reviewer,
        due_on=timezone.localdate() + dt.timedelta(days=14),
        declared_at=None if status == lifecycle.AWAITING_DECLARATION else timezone.now(),
    )


def full_marks(round_obj: Round, value: int = 4) -> dict[str, int]:
    return {criterion.code: value for criterion in round_obj.rules.rubric}


def scored(assignment: Assignment, scores: dict[str, int], *, submitted: bool = True) -> Score:
    """The reviewer's score of the assignment (submitted and locked unless told)."""
    if submitted:
        assignment.status = lifecycle.SUBMITTED
        assignment.save(update_fields=["status"])
    return Score.objects.create(
        assignment=assignment,
        scores=scores,
        comments={code: "根拠" for code in scores},
        overall_comment="総評",
        submitted_at=timezone.now() if submitted else None,
    )
