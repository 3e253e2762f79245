import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.advisors.models import CourseProgress, CourseQuizAttempt
from dxgrant.advisors.policies import can_invite_applicants
from dxgrant.advisors.services import course
from dxgrant.integrity.models import AuditEntry
from tests.factories.accounts import signed_in
from tests.factories.advisors import add_advisor, certified_firm

pytestmark = pytest.mark.django_db


def right_answers(programme):
    return {q["code"]: q["answer"] for q in programme.advisor_course["quiz"]}


def module_codes(programme):
    return [m["code"] for m in programme.advisor_course["modules"]]


def test_the_course_is_the_programmes_data(programme):
    data = programme.advisor_course
    assert data["pass_mark_percent"] == 80
    assert [m["code"] for m in data["modules"]][:2] == ["purpose", "applicant_acts"]
    assert len(data["quiz"]) == 5


def test_an_advisor_reads_every_module_then_passes_and_may_invite(programme):
    firm = certified_firm(programme)
    advisor = add_advisor(firm)
    allowed, reason = can_invite_applicants(advisor)
    assert not allowed and "アドバイザー研修" in reason
    client = signed_in(advisor)
    home = client.get("/firm/course/").content.decode()
    assert "制度の目的と支援の範囲" in home and "確認テストを受ける" not in home
    # The quiz is not open before every module is read.
    assert client.get("/firm/course/quiz/")["Location"] == "/firm/course/"
    codes = [m["code"] for m in programme.advisor_course["modules"]]
    for index, code in enumerate(codes):
        page = client.get(f"/firm/course/{code}/").content.decode()
        assert programme.advisor_course["modules"][index]["title_ja"] in page
        response = client.post(f"/firm/course/{code}/")
        expected = f"/firm/course/{codes[index + 1]}/" if index + 1 < len(codes) else "/firm/course/quiz/"
        assert response["Location"] == expected
    response = client.post("/firm/course/quiz/", right_answers(programme))
    page = response.content.decode()
    assert "合格です" in page and "5問中5問正解（100%）" in page
    progress = CourseProgress.objects.get(user=advisor)
    assert progress.passed_at is not None and progress.best_score_percent == 100
    advisor = type(advisor).objects.get(pk=advisor.pk)  # forget the cached membership
    assert tuple(can_invite_applicants(advisor)) == (True, "")
    assert AuditEntry.objects.filter(action="advisor_course.quiz_taken").count() == 1


def test_a_score_below_the_pass_mark_fails_and_can_be_retried(programme):
    firm = certified_firm(programme)
    advisor = add_advisor(firm)
    for code in module_codes(programme):
        course.mark_module_read(actor=advisor, programme=programme, module_code=code)
    answers = right_answers(programme)
    wrong = dict(answers, q_acts="advisor", q_amount="yes")  # 3 of 5 = 60%
    result = course.submit_course_quiz(actor=advisor, programme=programme, answers=wrong)
    assert (result.attempt.score_percent, result.attempt.passed) == (60, False)
    assert sorted(result.wrong_codes) == ["q_acts", "q_amount"]
    assert CourseProgress.objects.get(user=advisor).passed_at is None
    four_of_five = dict(answers, q_password="busy")  # 80% is the pass mark: passes
    assert course.submit_course_quiz(actor=advisor, programme=programme, answers=four_of_five).attempt.passed
    assert CourseQuizAttempt.objects.count() == 2


def test_unanswered_questions_are_explained_not_scored(programme):
    firm = certified_firm(programme)
    advisor = add_advisor(firm)
    client = signed_in(advisor)
    for code in module_codes(programme):
        client.post(f"/firm/course/{code}/")
    response = client.post("/firm/course/quiz/", {"q_acts": "applicant"})
    assert response.status_code == 400
    assert "答えを選んでください" in response.content.decode()
    assert not CourseQuizAttempt.objects.exists()


def test_the_quiz_is_refused_before_reading_and_to_non_members(programme, make_user):
    firm = certified_firm(programme)
    advisor = add_advisor(firm)
    with pytest.raises(ValidationError, match="すべての単元を読んでから"):
        course.submit_course_quiz(actor=advisor, programme=programme, answers=right_answers(programme))
    outsider = make_user("advisor")
    with pytest.raises(PermissionDenied):
        course.mark_module_read(actor=outsider, programme=programme, module_code="purpose")
    assert signed_in(outsider).get("/firm/course/").status_code == 403
    assert signed_in(make_user("applicant")).get("/firm/course/").status_code == 403


def test_unknown_module_is_404(programme):
    advisor = add_advisor(certified_firm(programme))
    assert signed_in(advisor).get("/firm/course/no-such-module/").status_code == 404


def test_reading_a_module_is_recorded_once_in_the_audit_log(programme):
    firm = certified_firm(programme)
    advisor = add_advisor(firm)
    course.mark_module_read(actor=advisor, programme=programme, module_code="purpose")
    course.mark_module_read(actor=advisor, programme=programme, module_code="purpose")  # read again
    entries = AuditEntry.objects.filter(action="advisor_course.module_read")
    assert entries.count() == 1
    assert entries.get().changes == {"module": "purpose", "course_version": programme.course.version}
    assert entries.get().actor == advisor
