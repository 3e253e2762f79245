"""Training completion and the comprehension quiz.

Rule: complete when one person of the applicant company attended sessions worth the round's
required hours (6 in the programme file: three units of 2 hours) and that same person passed
the quiz (80% in the programme file)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.support.models import Attendance, TrainingQuizAttempt
from dxgrant.support.selectors import training_status
from dxgrant.support.services import quiz
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.support import correct_answers, session_for, wrong_answers

pytestmark = pytest.mark.django_db

UNITS = ("dx_management", "data_operations", "security_operations")


def attend(engagement, person, unit: str, *, hours: float = 2, days_ago: int = 3, cancelled: bool = False):  # type: ignore[no-untyped-def]
    starts = timezone.now() - dt.timedelta(days=days_ago)
    session = session_for(
        engagement,
        starts_at=starts,
        hours=hours,
        curriculum_code=unit,
        cancelled_at=starts - dt.timedelta(days=1) if cancelled else None,
    )
    Attendance.objects.create(session=session, user=person, checked_in_at=starts)
    return session


def pass_quiz(engagement, person) -> None:  # type: ignore[no-untyped-def]
    TrainingQuizAttempt.objects.create(
        engagement=engagement,
        user=person,
        answers={},
        score_percent=100,
        passed=True,
        submission_token=uuid.uuid4(),
    )


def quiz_post(round_obj, answers: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f"q_{code}": value for code, value in answers.items()} | {"submission_token": str(uuid.uuid4())}


# --- Completion ----------------------------------------------------------------------------------


def test_hours_and_the_quiz_of_the_same_person_complete_the_training(engagement, representative):
    for unit in UNITS[:2]:
        attend(engagement, representative, unit)
    status = training_status(engagement)
    assert (status.hours_attended, status.required_hours, status.complete) == (4, 6, False)
    attend(engagement, representative, UNITS[2])
    assert training_status(engagement).hours_attended == 6
    assert not training_status(engagement).complete, "the quiz is still missing"
    pass_quiz(engagement, representative)
    status = training_status(engagement)
    assert status.complete and status.quiz_passed and status.person_id == representative.pk


def test_the_same_unit_twice_and_a_long_session_add_no_more_than_the_units_hours(engagement, representative):
    attend(engagement, representative, "dx_management", days_ago=5)
    attend(engagement, representative, "dx_management", days_ago=4)
    attend(engagement, representative, "data_operations", hours=5)
    assert training_status(engagement).hours_attended == 4


def test_a_short_session_counts_for_its_own_length(engagement, representative):
    attend(engagement, representative, "dx_management", hours=1.5)
    assert training_status(engagement).hours_attended == 1.5


def test_a_cancelled_session_counts_for_nothing(engagement, representative):
    attend(engagement, representative, "dx_management", cancelled=True)
    assert training_status(engagement).hours_attended == 0


def test_hours_of_one_person_and_the_quiz_of_another_do_not_complete_it(engagement, representative):
    colleague = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=colleague, role="staff")
    for unit in UNITS:
        attend(engagement, representative, unit)
    attend(engagement, colleague, "dx_management")
    pass_quiz(engagement, colleague)
    status = training_status(engagement)
    assert not status.complete
    assert {p.user_id: p.hours_attended for p in status.people} == {representative.pk: 6, colleague.pk: 2}


def test_a_delegated_staff_member_can_complete_it_for_the_company(engagement):
    colleague = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=colleague, role="staff")
    for unit in UNITS:
        attend(engagement, colleague, unit)
    pass_quiz(engagement, colleague)
    assert training_status(engagement).complete


def test_the_pages_show_the_status_and_the_rule(engagement, representative, advisor):
    for unit in UNITS:
        attend(engagement, representative, unit)
    pass_quiz(engagement, representative)
    mine = signed_in(representative).get(f"/support/my/{engagement.pk}/").content.decode()
    assert "6 / 6 時間" in mine and "修了しました" in mine
    assert "同じ1人（代表者または担当者）" in mine
    dashboard = signed_in(advisor).get("/support/").content.decode()
    assert "6 / 6 時間" in dashboard and "<strong>修了</strong>" in dashboard


# --- The quiz ------------------------------------------------------------------------------------


def test_the_quiz_waits_until_the_person_attended_a_session(engagement, representative):
    response = signed_in(representative).get(f"/support/my/{engagement.pk}/quiz/")
    assert response.status_code == 403
    assert "研修に1回以上出席してから" in response.content.decode()


def test_a_failed_quiz_can_be_taken_again_and_a_pass_is_final(engagement, representative, round_open):
    attend(engagement, representative, "dx_management")
    client = signed_in(representative)
    url = f"/support/my/{engagement.pk}/quiz/"
    page = client.get(url).content.decode()
    assert "KPIについて正しいものはどれですか" in page and "80点以上で合格" in page
    failed = client.post(url, quiz_post(round_open, wrong_answers(round_open)))
    assert "0点でした" in client.get(failed["Location"]).content.decode()
    passed = client.post(url, quiz_post(round_open, correct_answers(round_open)))
    after = client.get(passed["Location"]).content.decode()
    assert "確認テストに合格しました（100点）" in after and 'name="submission_token"' not in after
    # Another attempt after passing changes nothing.
    client.post(url, quiz_post(round_open, wrong_answers(round_open)))
    assert list(
        TrainingQuizAttempt.objects.filter(user=representative)
        .order_by("id")
        .values_list("passed", flat=True)
    ) == [False, True]


def test_two_of_three_right_is_below_the_pass_mark(engagement, representative, round_open):
    attend(engagement, representative, "dx_management")
    answers = correct_answers(round_open) | {"t_tools": "pcs"}
    signed_in(representative).post(f"/support/my/{engagement.pk}/quiz/", quiz_post(round_open, answers))
    attempt = TrainingQuizAttempt.objects.get()
    assert (attempt.score_percent, attempt.passed) == (66, False)


def test_a_double_submit_of_the_quiz_is_stored_once(engagement, representative, round_open):
    attend(engagement, representative, "dx_management")
    data = quiz_post(round_open, wrong_answers(round_open))
    client = signed_in(representative)
    client.post(f"/support/my/{engagement.pk}/quiz/", data)
    client.post(f"/support/my/{engagement.pk}/quiz/", data)
    assert TrainingQuizAttempt.objects.count() == 1


def test_an_advisor_cannot_answer_the_quiz_for_the_applicant(engagement, representative, advisor, round_open):
    attend(engagement, representative, "dx_management")
    client = signed_in(advisor)
    url = f"/support/my/{engagement.pk}/quiz/"
    assert client.get(url).status_code == 403
    forged = client.post(url, quiz_post(round_open, correct_answers(round_open)))
    assert forged.status_code == 403 and "申請者ご本人のみ" in forged.content.decode()
    with pytest.raises(PermissionDenied):
        quiz.submit_quiz(
            actor=advisor,
            engagement=engagement,
            answers=correct_answers(round_open),
            submission_token=uuid.uuid4(),
        )
    assert not TrainingQuizAttempt.objects.exists()
    assert not training_status(engagement).quiz_passed


def test_the_secretariat_cannot_answer_the_quiz_either(engagement, representative, client_for, round_open):
    attend(engagement, representative, "dx_management")
    response = client_for(Role.SECRETARIAT).post(
        f"/support/my/{engagement.pk}/quiz/", quiz_post(round_open, correct_answers(round_open))
    )
    assert response.status_code == 403 and not TrainingQuizAttempt.objects.exists()
