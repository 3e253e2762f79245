"""Training and advice are conditions of submission (issue 9, item 2): the round's requirements
(a hearing record the applicant confirmed, the training hours attended by the applicant's own
check-in, the comprehension quiz passed) are round data, shown in the task list with their status,
and a named guard of the workflow's `mark_ready` and `submit` transitions refuses until they are
met, with the reasons."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from dxgrant.applications import completeness, workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services.submission import mark_ready, submit_application
from dxgrant.programs.models import Round
from dxgrant.programs.schema import SubmissionRequirements
from dxgrant.support.models import HearingResponse
from tests.factories.accounts import signed_in
from tests.factories.applications import complete, complete_content, drafting
from tests.factories.support import attend, hearing_for, meet_support_requirements, pass_quiz, session_for

pytestmark = pytest.mark.django_db

HEARING = "ヒアリング記録"
HOURS = "研修の受講時間"
QUIZ = "理解度確認テスト"


def refusal_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)


def test_the_requirements_are_round_data_with_the_programmes_defaults(programme):
    loaded = Round.objects.get(code="dx-2025-r1")
    assert loaded.application_rules["requirements"] == {
        "hearing_confirmed": True,
        "training_hours": True,
        "training_quiz": True,
    }
    assert SubmissionRequirements() == loaded.rules.application.requirements
    # A round stored before the requirements were written down gets the schema's defaults.
    older = dict(loaded.application_rules)
    older.pop("requirements")
    loaded.application_rules = older
    loaded.save(update_fields=["application_rules"])
    assert Round.objects.get(pk=loaded.pk).rules.application.requirements == SubmissionRequirements()


def test_the_guard_is_named_in_the_workflow_table_for_mark_ready_and_submit():
    assert workflow.SUPPORT_REQUIREMENTS_MET in workflow.LIFECYCLE.guards_of("mark_ready")
    assert workflow.SUPPORT_REQUIREMENTS_MET in workflow.LIFECYCLE.guards_of("submit")


def test_a_complete_application_without_training_or_advice_cannot_be_marked_ready(programme):
    s = drafting(programme)
    complete_content(s.application)
    assert completeness.readiness_problems(s.application) == []  # the content is complete
    message = refusal_of(lambda: mark_ready(application=s.application, actor=s.advisor))
    for requirement in (HEARING, HOURS, QUIZ):
        assert requirement in message
    assert "0 / 6時間" in message
    assert Application.objects.get(pk=s.application.pk).status == workflow.DRAFTING


def test_each_requirement_is_judged_on_its_own(programme):
    s = drafting(programme)
    complete_content(s.application)
    engagement = s.application.engagement
    hearing = hearing_for(engagement)
    problems = " ".join(completeness.requirement_problems(s.application))
    assert HEARING in problems  # written, but not confirmed by the applicant
    hearing.response = HearingResponse.ACKNOWLEDGED
    hearing.responded_by = s.applicant
    hearing.responded_at = hearing.created_at
    hearing.save()
    session = session_for(engagement, hours=2)
    attend(session, s.applicant)
    problems = " ".join(completeness.requirement_problems(s.application))
    assert HEARING not in problems
    assert "2 / 6時間" in problems and QUIZ in problems
    pass_quiz(engagement, s.applicant)
    assert QUIZ not in " ".join(completeness.requirement_problems(s.application))
    for code in ("data_operations", "security_operations"):
        attend(session_for(engagement, hours=2, curriculum_code=code), s.applicant)
    assert completeness.requirement_problems(s.application) == []
    mark_ready(application=s.application, actor=s.advisor)
    assert Application.objects.get(pk=s.application.pk).status == workflow.AWAITING_CONFIRMATION


def test_the_same_unit_twice_does_not_make_up_the_hours(programme):
    s = drafting(programme)
    complete_content(s.application)
    engagement = s.application.engagement
    for _ in range(3):
        attend(session_for(engagement, hours=2, curriculum_code="dx_management"), s.applicant)
    assert "2 / 6時間" in " ".join(completeness.requirement_problems(s.application))


def test_submission_is_refused_until_they_are_met(programme):
    s = drafting(programme)
    complete_content(s.application)
    # Forced into awaiting confirmation behind the guard's back: submission checks again.
    Application.objects.filter(pk=s.application.pk).update(status=workflow.AWAITING_CONFIRMATION)
    application = Application.objects.get(pk=s.application.pk)
    message = refusal_of(
        lambda: submit_application(application=application, actor=s.applicant, submission_token=uuid.uuid4())
    )
    assert HEARING in message and HOURS in message
    assert Application.objects.get(pk=s.application.pk).status == workflow.AWAITING_CONFIRMATION
    meet_support_requirements(s.application.engagement)
    submit_application(application=application, actor=s.applicant, submission_token=uuid.uuid4())
    assert Application.objects.get(pk=s.application.pk).status == workflow.SUBMITTED


def test_a_round_without_the_requirements_does_not_ask_for_them(programme):
    s = drafting(programme)
    round_obj = s.application.round
    round_obj.application_rules = round_obj.application_rules | {
        "requirements": {"hearing_confirmed": False, "training_hours": False, "training_quiz": False}
    }
    round_obj.save(update_fields=["application_rules"])
    application = Application.objects.select_related("round").get(pk=s.application.pk)
    complete_content(application)
    assert completeness.requirement_problems(application) == []
    mark_ready(application=application, actor=s.advisor)


def test_the_task_list_shows_each_requirement_with_its_status(programme):
    s = drafting(programme)
    complete_content(s.application)
    attend(session_for(s.application.engagement, hours=2), s.applicant)
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/").content.decode()
    section = page[page.index('id="requirements"') :]
    assert "提出の条件" in page
    for requirement in (HEARING, HOURS, QUIZ):
        assert requirement in section
    assert "2 / 6時間" in section
    assert "未完了" in section
    # Nothing to ask the applicant yet: the advisor is not offered the request either.
    advisor_page = signed_in(s.advisor).get(f"/applications/{s.application.pk}/").content.decode()
    assert f'action="/applications/{s.application.pk}/ready/"' not in advisor_page


def test_the_mark_ready_page_shows_the_reasons(programme):
    s = drafting(programme)
    complete_content(s.application)
    response = signed_in(s.advisor).post(f"/applications/{s.application.pk}/ready/", follow=True)
    page = response.content.decode()
    assert HEARING in page and HOURS in page and QUIZ in page


def test_a_complete_application_meets_them(programme):
    s = drafting(programme)
    complete(s.application)
    assert completeness.requirement_problems(s.application) == []
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/").content.decode()
    section = page[page.index('id="requirements"') :]
    assert "6 / 6時間" in section
