"""The secretariat's builder and tracking: questions reordered (up/down, positions gap-free, refused
once sent), a removal closing the gap, and one company's answers laid out question by question."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.integrity.models import AuditEntry
from dxgrant.surveys import survey_rules
from dxgrant.surveys.models import SurveyInvitation
from dxgrant.surveys.services import answering, building, sending
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.support import representative_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(programme):
    secretariat = UserFactory(role=Role.SECRETARIAT)
    survey = building.create_survey(
        actor=secretariat,
        title_ja="効果調査",
        title_en="Impact survey",
        description="",
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    section = building.add_section(actor=secretariat, survey=survey, title_ja="成果")
    other = building.add_section(actor=secretariat, survey=survey, title_ja="今後")
    questions = [
        building.add_question(actor=secretariat, section=section, kind=survey_rules.TEXT, text_ja=text)
        for text in ("一", "二", "三")
    ]
    building.add_question(actor=secretariat, section=other, kind=survey_rules.TEXT, text_ja="別")
    return {"secretariat": secretariat, "survey": survey, "section": section, "questions": questions}


def order(section) -> list[tuple[int, str]]:
    return list(section.questions.order_by("position").values_list("position", "text_ja"))


def test_move_up_and_down_swaps_neighbours_and_is_audited(draft):
    one, two, three = draft["questions"]
    building.move_question(actor=draft["secretariat"], question=three, direction=building.UP)
    assert order(draft["section"]) == [(1, "一"), (2, "三"), (3, "二")]
    building.move_question(actor=draft["secretariat"], question=one, direction=building.DOWN)
    assert order(draft["section"]) == [(1, "三"), (2, "一"), (3, "二")]
    moved = AuditEntry.objects.filter(action="surveys.question_moved").order_by("pk")
    assert [(e.changes["from"], e.changes["to"]) for e in moved] == [(3, 2), (1, 2)]


def test_move_past_the_ends_is_refused_and_changes_nothing(draft):
    one, _two, three = draft["questions"]
    with pytest.raises(ValidationError, match="先頭にあるため"):
        building.move_question(actor=draft["secretariat"], question=one, direction=building.UP)
    with pytest.raises(ValidationError, match="末尾にあるため"):
        building.move_question(actor=draft["secretariat"], question=three, direction=building.DOWN)
    with pytest.raises(ValidationError, match="移動の向き"):
        building.move_question(actor=draft["secretariat"], question=one, direction="sideways")
    assert order(draft["section"]) == [(1, "一"), (2, "二"), (3, "三")]
    assert not AuditEntry.objects.filter(action="surveys.question_moved").exists()


def test_removal_closes_the_gap(draft):
    building.remove_question(actor=draft["secretariat"], question=draft["questions"][0])
    assert order(draft["section"]) == [(1, "二"), (2, "三")]
    # The next question added goes last, after the closed gap.
    building.add_question(actor=draft["secretariat"], section=draft["section"], kind="text", text_ja="四")
    assert order(draft["section"]) == [(1, "二"), (2, "三"), (3, "四")]


def test_moving_is_refused_once_sent_and_for_others(draft, programme, django_capture_on_commit_callbacks):
    application = make_application(programme, status=workflow.ACCEPTED, company_name="株式会社アルファ")
    with pytest.raises(PermissionDenied):
        building.move_question(
            actor=UserFactory(role=Role.AUDITOR), question=draft["questions"][1], direction=building.UP
        )
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_survey(
            actor=draft["secretariat"], survey=draft["survey"], filters={"round": application.round_id}
        )
    with pytest.raises(ValidationError, match="送付済み"):
        building.move_question(
            actor=draft["secretariat"], question=draft["questions"][1], direction=building.UP
        )
    assert order(draft["section"]) == [(1, "一"), (2, "二"), (3, "三")]


def test_builder_page_moves_with_buttons(draft, client_for):
    staff = client_for(Role.SECRETARIAT)
    base = f"/staff/surveys/{draft['survey'].pk}/"
    page = staff.get(base).content.decode()
    one, two, three = draft["questions"]
    # The first question offers no 上へ, the last no 下へ.
    assert page.count(f"/questions/{one.pk}/move/") == 1
    assert page.count(f"/questions/{two.pk}/move/") == 2
    assert page.count(f"/questions/{three.pk}/move/") == 1
    response = staff.post(f"{base}questions/{two.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == f"{base}#question-{two.pk}"
    assert order(draft["section"]) == [(1, "二"), (2, "一"), (3, "三")]
    refused = staff.post(f"{base}questions/{two.pk}/move/", {"direction": "up"}, follow=True)
    assert "先頭にあるため、上に移動できません" in refused.content.decode()
    assert order(draft["section"]) == [(1, "二"), (2, "一"), (3, "三")]


def test_builder_form_refusal_keeps_the_typed_values(draft, client_for):
    staff = client_for(Role.SECRETARIAT)
    base = f"/staff/surveys/{draft['survey'].pk}/"
    response = staff.post(
        f"{base}questions/",
        {"section": draft["section"].pk, "kind": survey_rules.SINGLE, "text_ja": "好きな色", "choices": ""},
    )
    assert response.status_code == 400
    assert "好きな色" in response.content.decode()
    assert draft["section"].questions.count() == 3
    past = staff.post(
        f"{base}edit/", {"title_ja": "効果調査", "title_en": "", "description": "", "due_on": "2000-01-01"}
    )
    assert past.status_code == 400
    assert "回答期限には今日以降の日付を指定してください" in past.content.decode()


def test_one_companys_answers_question_by_question(
    draft, programme, client_for, django_capture_on_commit_callbacks
):
    application = make_application(programme, status=workflow.ACCEPTED, company_name="株式会社アルファ")
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_survey(
            actor=draft["secretariat"], survey=draft["survey"], filters={"round": application.round_id}
        )
    invitation = SurveyInvitation.objects.get()
    one, two, _three = draft["questions"]
    answering.save_section(
        actor=representative_of(application.engagement),
        invitation=invitation,
        section=draft["section"],
        raw={f"q{one.pk}": "売上が伸びた\n残業が減った", f"q{two.pk}": ""},
    )
    staff = client_for(Role.AUDITOR)
    survey_page = staff.get(f"/staff/surveys/{draft['survey'].pk}/").content.decode()
    url = f"/staff/surveys/{draft['survey'].pk}/responses/{invitation.pk}/"
    assert url in survey_page
    page = staff.get(url).content.decode()
    assert "株式会社アルファ" in page and "回答中" in page
    assert "1 / 4" in page
    assert "売上が伸びた<br>残業が減った" in page
    assert page.index("Q1. 一") < page.index("売上が伸びた") < page.index("Q2. 二") < page.index("Q1. 別")
    # Another survey's path does not show this invitation.
    other = building.create_survey(
        actor=draft["secretariat"],
        title_ja="別の調査",
        title_en="",
        description="",
        due_on=draft["survey"].due_on,
    )
    assert staff.get(f"/staff/surveys/{other.pk}/responses/{invitation.pk}/").status_code == 404


def test_the_question_form_has_a_section_chosen_and_says_what_to_do_without_one(client, draft):
    """Found by hand: the section list began on its empty choice, so a question added to a
    survey's only section was refused with Django's bare "required". The newest section is now
    chosen (no query more: the page has the sections already)."""
    client.force_login(draft["secretariat"])
    url = f"/staff/surveys/{draft['survey'].pk}/"
    page = client.get(url).content.decode()
    select = page[page.index('name="section"') : page.index("</select>", page.index('name="section"'))]
    newest = draft["survey"].sections.order_by("-position").first()
    assert f'value="{newest.pk}" selected' in select
    before = draft["survey"].sections.get(pk=draft["section"].pk).questions.count()
    refused = client.post(f"{url}questions/", {"kind": survey_rules.TEXT, "text_ja": "四"})
    assert refused.status_code == 400
    assert "質問を入れるセクションを選んでください" in refused.content.decode()
    assert draft["section"].questions.count() == before
