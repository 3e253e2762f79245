"""The reviewer pool (adding reviewers: refusals, audit), what a reviewer can see, and the
secretariat's reopening of a submitted score."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme
from dxgrant.review import lifecycle, policies
from dxgrant.review.models import ReviewerMembership
from dxgrant.review.services import pool, scores
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.review import assign, full_marks, reviewer_in_pool, scored
from tests.factories.rounds import open_round


@pytest.fixture
def secretariat(db: None):
    return UserFactory(role=Role.SECRETARIAT)


def test_secretariat_adds_a_reviewer_with_an_audit_entry(programme: Programme, secretariat) -> None:
    round_obj = open_round(programme)
    reviewer = UserFactory(role=Role.REVIEWER, email="reviewer@univ.example.jp")
    membership = pool.add_reviewer(
        actor=secretariat,
        round_obj=round_obj,
        email=" Reviewer@Univ.example.jp ",
        organisation="国立大学法人 例示大学",
        organisation_corporate_number="",
    )
    assert membership.reviewer == reviewer
    assert membership.terms_accepted_at is None
    entry = AuditEntry.objects.get(action="review.reviewer_added")
    assert entry.actor == secretariat
    assert entry.changes["reviewer"] == reviewer.email


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.APPLICANT, Role.FINANCE, Role.AUDITOR, Role.SECRETARIAT])
def test_accounts_of_other_roles_are_refused_by_name(programme: Programme, secretariat, role: str) -> None:
    other = UserFactory(role=role)
    with pytest.raises(ValidationError) as refused:
        pool.add_reviewer(actor=secretariat, round_obj=open_round(programme), email=other.email)
    assert "審査員のアカウントではありません" in refused.value.message_dict["email"][0]
    assert not ReviewerMembership.objects.exists()


def test_unknown_address_twice_and_bad_corporate_number_are_refused(
    programme: Programme, secretariat
) -> None:
    round_obj = open_round(programme)
    with pytest.raises(ValidationError) as unknown:
        pool.add_reviewer(actor=secretariat, round_obj=round_obj, email="nobody@example.jp")
    assert "アカウントはありません" in unknown.value.message_dict["email"][0]
    reviewer = UserFactory(role=Role.REVIEWER)
    with pytest.raises(ValidationError) as number:
        pool.add_reviewer(
            actor=secretariat,
            round_obj=round_obj,
            email=reviewer.email,
            organisation_corporate_number="1234567890123",
        )
    assert "organisation_corporate_number" in number.value.message_dict
    pool.add_reviewer(actor=secretariat, round_obj=round_obj, email=reviewer.email)
    with pytest.raises(ValidationError) as twice:
        pool.add_reviewer(actor=secretariat, round_obj=round_obj, email=reviewer.email)
    assert "すでに" in twice.value.message_dict["email"][0]
    assert ReviewerMembership.objects.count() == 1
    assert AuditEntry.objects.filter(action="review.reviewer_added").count() == 1


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.REVIEWER, Role.ADVISOR])
def test_only_the_secretariat_adds_reviewers(programme: Programme, role: str) -> None:
    reviewer = UserFactory(role=Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        pool.add_reviewer(actor=UserFactory(role=role), round_obj=open_round(programme), email=reviewer.email)


def test_a_reviewer_sees_only_own_holding_assignments_after_accepting_the_terms(programme: Programme) -> None:
    round_obj = open_round(programme)
    application = make_application(programme, status=workflow.IN_REVIEW)
    other_application = make_application(programme, status=workflow.IN_REVIEW)
    alice = reviewer_in_pool(round_obj)
    bob = reviewer_in_pool(round_obj)
    late = reviewer_in_pool(round_obj, accepted=False)
    mine = assign(application, alice)
    assign(other_application, bob)
    conflicted = assign(other_application, alice, status=lifecycle.CONFLICTED)
    assign(application, late)

    visible = set(policies.assignments_visible_to(alice))
    assert visible == {mine}
    assert conflicted not in visible
    # Nothing before accepting the round's terms.
    assert not policies.assignments_visible_to(late).exists()
    for role in (Role.SECRETARIAT, Role.AUDITOR, Role.ADVISOR, Role.APPLICANT, Role.FINANCE):
        assert not policies.assignments_visible_to(UserFactory(role=role)).exists()


def test_reopening_needs_a_reason_and_unlocks_with_an_audit_entry(programme: Programme, secretariat) -> None:
    round_obj = open_round(programme)
    application = make_application(programme, status=workflow.IN_REVIEW)
    reviewer = reviewer_in_pool(round_obj)
    place = assign(application, reviewer)
    score = scored(place, full_marks(round_obj))
    assert not policies.can_score(reviewer, place)

    with pytest.raises(ValidationError):
        scores.reopen(actor=secretariat, assignment=place, reason="  ")
    with pytest.raises(PermissionDenied):
        scores.reopen(actor=reviewer, assignment=place, reason="見直してください")
    scores.reopen(actor=secretariat, assignment=place, reason="基準3のコメントが空欄に近いため")

    place.refresh_from_db()
    score.refresh_from_db()
    assert place.status == lifecycle.SCORING
    assert score.submitted_at is None and score.reopened_reason == "基準3のコメントが空欄に近いため"
    assert policies.can_score(reviewer, place)
    entry = AuditEntry.objects.get(action="review.score_reopened")
    assert entry.changes["status"] == [lifecycle.SUBMITTED, lifecycle.SCORING]
