"""The draw, the declaration (with the refill after a conflict), drafts with revisions, and the
submission that checks every criterion and locks."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.core.editing import EditConflict
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme
from dxgrant.review import lifecycle, selectors
from dxgrant.review.models import Assignment, ConflictExclusion
from dxgrant.review.services import conflicts, draws, pool, scores
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.review import full_marks, reviewer_in_pool
from tests.factories.rounds import open_round


@pytest.fixture
def setup(programme: Programme):
    round_obj = open_round(programme)
    secretariat = UserFactory(role=Role.SECRETARIAT)
    apps = [make_application(programme, status=workflow.IN_REVIEW) for _ in range(4)]
    reviewers = [reviewer_in_pool(round_obj) for _ in range(5)]
    return round_obj, secretariat, apps, reviewers


def test_the_draw_fills_places_once_with_one_audit_entry(setup) -> None:
    round_obj, secretariat, apps, reviewers = setup
    run = draws.run_draw(actor=secretariat, round_obj=round_obj, seed=42)
    assert run.created == 4 * 3 and run.seed == 42 and run.short == []
    assert AuditEntry.objects.filter(action="review.draw").count() == 1
    again = draws.run_draw(actor=secretariat, round_obj=round_obj)
    assert again.created == 0
    loads = [Assignment.objects.filter(reviewer=r).count() for r in reviewers]
    assert max(loads) - min(loads) <= 1
    assert selectors.progress(round_obj).full == 4


def test_a_declared_conflict_excludes_and_refills(setup) -> None:
    round_obj, secretariat, apps, reviewers = setup
    draws.run_draw(actor=secretariat, round_obj=round_obj, seed=7)
    place = Assignment.objects.filter(application=apps[0]).first()
    conflicts.declare(actor=place.reviewer, assignment=place, conflict=True)
    place.refresh_from_db()
    assert place.status == lifecycle.CONFLICTED
    assert ConflictExclusion.objects.filter(
        application=apps[0], reviewer=place.reviewer, source="declared"
    ).exists()
    holding = Assignment.objects.filter(application=apps[0], status__in=lifecycle.HOLDING)
    assert holding.count() == 3 and place.reviewer_id not in {a.reviewer_id for a in holding}
    assert AuditEntry.objects.filter(action="review.refill").count() == 1


def test_draft_revision_conflict_and_submission_lock(setup) -> None:
    round_obj, secretariat, apps, reviewers = setup
    draws.run_draw(actor=secretariat, round_obj=round_obj, seed=1)
    place = Assignment.objects.filter(application=apps[1]).first()
    reviewer = place.reviewer
    with pytest.raises(PermissionDenied):
        scores.save_draft(
            actor=reviewer, assignment=place, revision=0, scores={}, comments={}, overall_comment=""
        )
    conflicts.declare(actor=reviewer, assignment=place, conflict=False)
    marks = full_marks(round_obj)
    draft = scores.save_draft(
        actor=reviewer, assignment=place, revision=0, scores=marks, comments={}, overall_comment=""
    )
    assert draft.revision == 1
    with pytest.raises(EditConflict):
        scores.save_draft(
            actor=reviewer, assignment=place, revision=0, scores={}, comments={}, overall_comment=""
        )
    with pytest.raises(ValidationError) as incomplete:
        scores.submit(
            actor=reviewer, assignment=place, revision=1, scores=marks, comments={}, overall_comment=""
        )
    codes = [c.code for c in round_obj.rules.rubric]
    assert set(incomplete.value.message_dict) == {f"comment_{c}" for c in codes} | {"overall_comment"}
    with pytest.raises(ValidationError) as off_scale:
        scores.save_draft(
            actor=reviewer,
            assignment=place,
            revision=1,
            scores={codes[0]: "9"},
            comments={},
            overall_comment="",
        )
    assert f"score_{codes[0]}" in off_scale.value.message_dict
    comments = {c: "根拠" for c in codes}
    scores.submit(
        actor=reviewer, assignment=place, revision=1, scores=marks, comments=comments, overall_comment="良い"
    )
    with pytest.raises(PermissionDenied):
        scores.save_draft(
            actor=reviewer, assignment=place, revision=2, scores=marks, comments={}, overall_comment=""
        )
    assert selectors.submitted_scores(round_obj) == {apps[1].pk: [(reviewer.pk, marks)]}


def test_terms_are_accepted_once_with_their_hash(setup) -> None:
    round_obj, secretariat, apps, reviewers = setup
    newcomer = UserFactory(role=Role.REVIEWER)
    pool.add_reviewer(actor=secretariat, round_obj=round_obj, email=newcomer.email)
    with pytest.raises(ValidationError):
        pool.accept_terms(actor=newcomer, round_obj=round_obj, terms_sha256="stale")
    membership = pool.accept_terms(
        actor=newcomer, round_obj=round_obj, terms_sha256=selectors.terms_sha256(round_obj)
    )
    assert membership.terms_sha256 == selectors.terms_sha256(round_obj)
    assert AuditEntry.objects.filter(action="review.terms_accepted").count() == 1
