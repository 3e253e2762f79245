"""The review's pages as people use them, and as others forge them: POSTs by other roles and by
another reviewer are refused and change nothing; a reviewer sees nothing of a place that is not
theirs, of a conflicted or removed place, nor anything before accepting the round's terms; the
submission's refusals are beside each criterion; the pages read in English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme, Round
from dxgrant.review import lifecycle
from dxgrant.review.models import Assignment, AssignmentRun, ConflictExclusion, ReviewerMembership, Score
from dxgrant.review.services.scores import OVERALL, comment_field, score_field
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.applications import fill_application, make_application, make_version
from tests.factories.review import assign, full_marks, reviewer_in_pool, scored
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db


@dataclass
class Review:
    round: Round
    secretariat: User
    reviewer: User
    other: User
    awaiting: Assignment  # the reviewer's, awaiting the declaration
    scoring: Assignment  # the reviewer's, being scored (a draft)
    others: Assignment  # the other reviewer's place on the same application, being scored
    submitted: Assignment  # the other reviewer's submitted score
    unassigned: Application


def _in_review(programme: Programme, round_obj: Round, name: str) -> Application:
    application = fill_application(
        make_application(programme, round_obj=round_obj, status=workflow.IN_REVIEW, company_name=name)
    )
    make_version(application)
    return application


@pytest.fixture
def review(programme: Programme) -> Review:
    round_obj = open_round(programme)
    secretariat = UserFactory(role=Role.SECRETARIAT)
    reviewer = reviewer_in_pool(round_obj)
    other = reviewer_in_pool(round_obj)
    first = _in_review(programme, round_obj, "申告待ちの株式会社")
    second = _in_review(programme, round_obj, "採点中の株式会社")
    third = _in_review(programme, round_obj, "提出済みの株式会社")
    awaiting = assign(first, reviewer, by=secretariat)
    scoring = assign(second, reviewer, status=lifecycle.SCORING, by=secretariat)
    Score.objects.create(assignment=scoring, scores={"feasibility": 3}, revision=1)
    others = assign(second, other, status=lifecycle.SCORING, by=secretariat)
    Score.objects.create(assignment=others, scores={"feasibility": 5}, revision=1)
    submitted = assign(third, other, status=lifecycle.SCORING, by=secretariat)
    scored(submitted, full_marks(round_obj))
    unassigned = _in_review(programme, round_obj, "未割当の株式会社")
    return Review(round_obj, secretariat, reviewer, other, awaiting, scoring, others, submitted, unassigned)


def sheet(round_obj: Round, revision: int, value: int = 4, **extra: str) -> dict[str, str]:
    """A complete score sheet as the form posts it."""
    data = {"revision": str(revision), OVERALL: "総評です。", **extra}
    for criterion in round_obj.rules.rubric:
        data[score_field(criterion.code)] = str(value)
        data[comment_field(criterion.code)] = "根拠です。"
    return data


def snapshot() -> tuple:
    """Everything the review's acts could change."""
    return (
        list(Assignment.objects.order_by("pk").values_list("pk", "status", "reviewer_id", "declared_at")),
        list(
            Score.objects.order_by("pk").values_list("pk", "scores", "comments", "revision", "submitted_at")
        ),
        list(ReviewerMembership.objects.order_by("pk").values_list("pk", "terms_accepted_at", "active")),
        ConflictExclusion.objects.count(),
        AssignmentRun.objects.count(),
        AuditEntry.objects.count(),
    )


OTHER_ROLES = [Role.ADVISOR, Role.APPLICANT, Role.FINANCE, Role.AUDITOR, Role.SECRETARIAT]


def _forged_reviewer_posts(r: Review) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/review/assignments/{r.scoring.pk}/", sheet(r.round, 1, submit="1")),
        (f"/review/assignments/{r.scoring.pk}/", sheet(r.round, 1, save="1")),
        (f"/review/assignments/{r.awaiting.pk}/declare/", {"conflict": "yes"}),
        (f"/review/assignments/{r.awaiting.pk}/declare/", {"conflict": "no"}),
        (f"/review/rounds/{r.round.code}/terms/", {"terms_sha256": "0" * 64}),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_cannot_declare_score_or_accept_terms(
    review: Review, client_for: Callable[[str], Client], role: str
) -> None:
    client = client_for(role)
    before = snapshot()
    for url, data in _forged_reviewer_posts(review):
        response = client.post(url, data)
        assert response.status_code == 403, (role, url, response.status_code)
    assert snapshot() == before


def test_another_reviewer_cannot_touch_a_place_that_is_not_theirs(review: Review) -> None:
    """The other reviewer holds a place on the same application, in the same round, with the
    terms accepted: the reviewer's places are still 404 to them, and so are the other's to the
    reviewer (their score is never shown)."""
    intruder = signed_in(review.other)
    before = snapshot()
    for url, data in _forged_reviewer_posts(review)[:4]:
        assert intruder.post(url, data).status_code == 404, url
        assert intruder.get(url).status_code == 404, url
    assert snapshot() == before
    mine = signed_in(review.reviewer)
    for place in (review.others, review.submitted):
        assert mine.get(f"/review/assignments/{place.pk}/").status_code == 404
        assert mine.get(f"/review/assignments/{place.pk}/declare/").status_code == 404
        assert (
            mine.post(f"/review/assignments/{place.pk}/", sheet(review.round, 1, submit="1")).status_code
            == 404
        )
    assert snapshot() == before
    page = mine.get(f"/review/assignments/{review.scoring.pk}/").content.decode()
    assert 'value="3"' in page and "checked" in page
    queue = mine.get("/review/").content.decode()
    assert review.submitted.application.receipt_number not in queue
    assert review.unassigned.receipt_number not in queue


def test_reviewers_and_other_roles_cannot_use_the_secretariat_acts(
    review: Review, client_for: Callable[[str], Client]
) -> None:
    acts = [
        (f"/staff/review/rounds/{review.round.code}/draw/", {"seed": "1"}),
        (f"/staff/review/rounds/{review.round.code}/reviewers/", {"email": review.other.email}),
        (
            f"/staff/review/rounds/{review.round.code}/conflicts/exclude/",
            {"application": str(review.unassigned.pk), "reviewer": str(review.reviewer.pk), "reason": "x"},
        ),
        (f"/staff/review/applications/{review.unassigned.pk}/add/", {"reviewer": str(review.reviewer.pk)}),
        (f"/staff/review/assignments/{review.awaiting.pk}/remove/", {"reason": "x"}),
        (f"/staff/review/assignments/{review.submitted.pk}/reopen/", {"reason": "x"}),
    ]
    before = snapshot()
    clients = [signed_in(review.reviewer), *(client_for(role) for role in OTHER_ROLES[:-1])]
    for client in clients:
        for url, data in acts:
            assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_a_conflicted_or_removed_place_is_closed_to_the_reviewer(review: Review) -> None:
    client = signed_in(review.reviewer)
    response = client.post(f"/review/assignments/{review.awaiting.pk}/declare/", {"conflict": "yes"})
    assert response.status_code == 302 and response["Location"] == "/review/"
    application = review.awaiting.application
    assert client.get(f"/review/assignments/{review.awaiting.pk}/").status_code == 404
    assert client.get(f"/review/assignments/{review.awaiting.pk}/declare/").status_code == 404
    assert application.receipt_number not in client.get("/review/").content.decode()
    Assignment.objects.filter(pk=review.scoring.pk).update(status=lifecycle.REMOVED)
    before = snapshot()
    assert client.get(f"/review/assignments/{review.scoring.pk}/").status_code == 404
    assert (
        client.post(
            f"/review/assignments/{review.scoring.pk}/", sheet(review.round, 1, submit="1")
        ).status_code
        == 404
    )
    assert snapshot() == before


def test_nothing_before_the_terms_are_accepted(review: Review) -> None:
    ReviewerMembership.objects.filter(reviewer=review.reviewer).update(
        terms_accepted_at=None, terms_sha256=""
    )
    client = signed_in(review.reviewer)
    before = snapshot()
    queue = client.get("/review/").content.decode()
    assert f"/review/rounds/{review.round.code}/terms/" in queue
    assert review.scoring.application.receipt_number not in queue
    assert review.awaiting.application.receipt_number not in queue
    for url, data in _forged_reviewer_posts(review)[:4]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before
    # A stale copy of the terms is refused; the terms as shown are accepted, once, audited.
    stale = client.post(f"/review/rounds/{review.round.code}/terms/", {"terms_sha256": "0" * 64})
    assert stale.status_code == 400 and "守秘義務の内容が更新されました" in stale.content.decode()
    page = client.get(f"/review/rounds/{review.round.code}/terms/").content.decode()
    digest = page.split('name="terms_sha256" value="', 1)[1].split('"', 1)[0]
    assert (
        client.post(f"/review/rounds/{review.round.code}/terms/", {"terms_sha256": digest}).status_code == 302
    )
    assert client.get(f"/review/assignments/{review.awaiting.pk}/declare/").status_code == 200
    assert AuditEntry.objects.filter(action="review.terms_accepted").count() == 1


def test_the_declaration_shows_only_name_firm_and_prefecture(review: Review) -> None:
    client = signed_in(review.reviewer)
    page = client.get(f"/review/assignments/{review.awaiting.pk}/declare/").content.decode()
    application = review.awaiting.application
    assert application.company_name in page and application.firm.name in page
    assert "review-layout__application" not in page
    # The score page waits for the declaration.
    response = client.get(f"/review/assignments/{review.awaiting.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/declare/")
    missing = client.post(f"/review/assignments/{review.awaiting.pk}/declare/", {})
    assert missing.status_code == 400 and "利益相反の有無を選んでください" in missing.content.decode()


def test_an_incomplete_submission_is_refused_beside_each_criterion(review: Review) -> None:
    client = signed_in(review.reviewer)
    data = sheet(review.round, 1, submit="1")
    first = review.round.rules.rubric[0]
    data[score_field(first.code)] = ""
    data[comment_field(first.code)] = " "
    data[OVERALL] = ""
    before = snapshot()
    response = client.post(f"/review/assignments/{review.scoring.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "評点を選んでください" in page and "評点の根拠となるコメントを入力してください" in page
    assert "総評を入力してください" in page
    assert snapshot() == before
    off_scale = sheet(review.round, 1, value=9, submit="1")
    assert client.post(f"/review/assignments/{review.scoring.pk}/", off_scale).status_code == 400
    assert snapshot() == before
    stale = client.post(f"/review/assignments/{review.scoring.pk}/", sheet(review.round, 0, submit="1"))
    assert stale.status_code == 409
    assert snapshot() == before
    done = client.post(f"/review/assignments/{review.scoring.pk}/", sheet(review.round, 1, submit="1"))
    assert done.status_code == 302
    review.scoring.refresh_from_db()
    assert review.scoring.status == lifecycle.SUBMITTED
    locked = client.post(
        f"/review/assignments/{review.scoring.pk}/", sheet(review.round, 2, value=1, submit="1")
    )
    assert locked.status_code == 200 and "disabled" in locked.content.decode()
    assert Score.objects.get(assignment=review.scoring).scores == full_marks(review.round)


def test_the_review_pages_read_in_english(review: Review) -> None:
    client = signed_in(review.reviewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    score = client.get(f"/review/assignments/{review.scoring.pk}/").content.decode()
    assert "Save draft" in score and "Submit the score" in score and "Overall comment" in score
    assert "下書きを保存" not in score and "総評" not in score
    queue = client.get("/review/").content.decode()
    assert "Declare conflict of interest" in queue and "Scoring due date" in queue
    declare = client.get(f"/review/assignments/{review.awaiting.pk}/declare/").content.decode()
    assert "No conflict of interest" in declare and "利益相反" not in declare
    staff = signed_in(review.secretariat)
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    progress = staff.get(f"/staff/review/rounds/{review.round.code}/").content.decode()
    assert "Review progress" in progress and "Run the assignment" in progress
    assert "審査員" not in progress
