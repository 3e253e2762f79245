"""Surveys with real applications, emails and the audit log: build, send once, answer, submit,
refusals that change nothing, the advisor refused, the export rows and the reminder source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting import sources
from dxgrant.reporting.models import ReminderSource
from dxgrant.surveys import exports, survey_rules, tasks
from dxgrant.surveys.models import SurveyAnswer, SurveyInvitation
from dxgrant.surveys.services import answering, building, sending
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.support import representative_of

pytestmark = pytest.mark.django_db
# The audit entry: its chain head read and the insert; PostgreSQL also locks the head.
AUDIT = 3 if connection.vendor == "postgresql" else 2


@pytest.fixture
def built(programme, django_capture_on_commit_callbacks):
    secretariat = UserFactory(role=Role.SECRETARIAT)
    accepted = make_application(programme, status=workflow.ACCEPTED, company_name="株式会社アルファ")
    make_application(programme, round_obj=accepted.round, status=workflow.SUBMITTED, company_name="未採択")
    survey = building.create_survey(
        actor=secretariat,
        title_ja="効果調査",
        title_en="Impact survey",
        description="",
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    section = building.add_section(actor=secretariat, survey=survey, title_ja="成果")
    scale = building.add_question(
        actor=secretariat, section=section, kind=survey_rules.SCALE, text_ja="満足度", required=True
    )
    multi = building.add_question(
        actor=secretariat,
        section=section,
        kind=survey_rules.MULTIPLE,
        text_ja="効果",
        choices=["売上", "時間短縮", "品質"],
    )
    number = building.add_question(
        actor=secretariat,
        section=section,
        kind=survey_rules.NUMBER,
        text_ja="削減時間",
        min_value=0,
        max_value=1000,
    )
    return {
        "secretariat": secretariat,
        "application": accepted,
        "survey": survey,
        "section": section,
        "scale": scale,
        "multi": multi,
        "number": number,
    }


def send(built, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return sending.send_survey(
            actor=built["secretariat"],
            survey=built["survey"],
            filters={"round": built["application"].round_id},
        )


def test_send_goes_to_awardees_once_each_and_emails_once(built, django_capture_on_commit_callbacks):
    assert send(built, django_capture_on_commit_callbacks) == 1
    invitation = SurveyInvitation.objects.get()
    assert invitation.application == built["application"]
    assert len(mail.outbox) == 1
    assert "効果調査" in mail.outbox[0].subject
    assert f"/applications/{built['application'].pk}/surveys/{built['survey'].pk}/" in mail.outbox[0].body
    # A double click, and the task run again: nothing more.
    assert send(built, django_capture_on_commit_callbacks) == 0
    tasks.send_invitation.call(invitation.pk)
    assert SurveyInvitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="surveys.survey_sent").count() == 1


def test_a_sent_survey_is_frozen(built, django_capture_on_commit_callbacks):
    send(built, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="送付済み"):
        building.add_question(
            actor=built["secretariat"], section=built["section"], kind=survey_rules.TEXT, text_ja="追加"
        )
    with pytest.raises(ValidationError):
        building.remove_question(actor=built["secretariat"], question=built["scale"])
    assert built["section"].questions.count() == 3


def test_an_empty_cohort_is_refused_and_changes_nothing(built, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="当てはまる交付先がありません"):
        sending.send_survey(
            actor=built["secretariat"],
            survey=built["survey"],
            filters={"round": built["application"].round_id, "prefecture": "沖縄県"},
        )
    built["survey"].refresh_from_db()
    assert built["survey"].is_draft
    assert not SurveyInvitation.objects.exists()


def test_question_definition_refused(built):
    with pytest.raises(ValidationError) as refused:
        building.add_question(
            actor=built["secretariat"],
            section=built["section"],
            kind=survey_rules.SINGLE,
            text_ja="x",
            choices=["a"],
        )
    assert "choices" in refused.value.error_dict
    assert built["section"].questions.count() == 3


def test_only_the_secretariat_builds(built):
    advisor = built["application"].engagement.lead_advisor
    with pytest.raises(PermissionDenied):
        building.add_section(actor=advisor, survey=built["survey"], title_ja="x")


def raw(built, scale="", multi=(), number=""):
    return {
        f"q{built['scale'].pk}": scale,
        f"q{built['multi'].pk}": list(multi),
        f"q{built['number'].pk}": number,
    }


def test_answer_save_submit_and_read_only(built, django_capture_on_commit_callbacks):
    send(built, django_capture_on_commit_callbacks)
    invitation = SurveyInvitation.objects.get()
    person = representative_of(built["application"].engagement)
    answering.save_section(
        actor=person, invitation=invitation, section=built["section"], raw=raw(built, multi=["品質", "売上"])
    )
    invitation.refresh_from_db()
    assert invitation.started_at is not None
    # Submitting without the required scale is refused, naming it.
    with pytest.raises(ValidationError, match="満足度"):
        answering.submit(actor=person, invitation=invitation)
    # A bad number refuses the whole section: the answer saved before is kept.
    with pytest.raises(ValidationError) as refused:
        answering.save_section(
            actor=person,
            invitation=invitation,
            section=built["section"],
            raw=raw(built, scale="4", number="abc"),
        )
    assert f"q{built['number'].pk}" in refused.value.error_dict
    assert dict(SurveyAnswer.objects.values_list("question_id", "value")) == {
        built["multi"].pk: ["売上", "品質"]
    }
    answering.save_section(
        actor=person,
        invitation=invitation,
        section=built["section"],
        raw=raw(built, scale="4", multi=["売上", "品質"], number="３０"),
    )
    answering.submit(actor=person, invitation=invitation)
    with pytest.raises(PermissionDenied, match="提出済み"):
        answering.save_section(
            actor=person, invitation=invitation, section=built["section"], raw=raw(built, scale="1")
        )
    assert SurveyAnswer.objects.get(question=built["scale"]).value == 4
    header, row = list(exports.rows(built["survey"]))
    assert header[-3:] == ["Q1. 満足度", "Q2. 効果", "Q3. 削減時間"]
    assert row[-3:] == ["4", "売上；品質", "30"]
    assert row[1] == "株式会社アルファ"


def test_the_advisor_may_not_answer(built, django_capture_on_commit_callbacks):
    send(built, django_capture_on_commit_callbacks)
    invitation = SurveyInvitation.objects.get()
    advisor = built["application"].engagement.lead_advisor
    with pytest.raises(PermissionDenied):
        answering.save_section(
            actor=advisor, invitation=invitation, section=built["section"], raw=raw(built, scale="3")
        )
    with pytest.raises(PermissionDenied):
        answering.submit(actor=advisor, invitation=invitation)
    client = Client()
    client.force_login(advisor)
    base = f"/applications/{built['application'].pk}/surveys/{built['survey'].pk}/"
    assert client.get(base).status_code == 403
    assert client.post(f"{base}sections/{built['section'].pk}/", raw(built, scale="3")).status_code == 403
    assert client.post(f"{base}submit/").status_code == 403
    assert not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.started_at is None and invitation.submitted_at is None


def test_pages_answer_as_the_applicant(built, django_capture_on_commit_callbacks):
    send(built, django_capture_on_commit_callbacks)
    person = representative_of(built["application"].engagement)
    client = Client()
    client.force_login(person)
    base = f"/applications/{built['application'].pk}/surveys/{built['survey'].pk}/"
    page = client.get(base).content.decode()
    assert "未着手" in page and "効果調査" in page
    bad = client.post(f"{base}sections/{built['section'].pk}/", raw(built, scale="9"))
    assert bad.status_code == 400
    assert "1から5のいずれかを選んでください" in bad.content.decode()
    # The form carries the section's revision (no answers yet); a post without one is stale.
    opened = {"revision": str(survey_rules.fingerprint({}))}
    assert f'value="{opened["revision"]}"' in client.get(f"{base}sections/{built['section'].pk}/").text
    good = client.post(f"{base}sections/{built['section'].pk}/", raw(built, scale="5") | opened)
    assert good.status_code == 302
    assert "完了" in client.get(base).content.decode()
    assert client.post(f"{base}submit/").status_code == 302
    assert "提出済みです" in client.get(base).content.decode()


HX = {"HTTP_HX_REQUEST": "true"}


def _respondent(built, django_capture_on_commit_callbacks):
    send(built, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(representative_of(built["application"].engagement))
    url = f"/applications/{built['application'].pk}/surveys/{built['survey'].pk}/sections/{built['section'].pk}/"
    return client, url


def test_answers_autosave_as_they_are_typed_and_read_back(built, django_capture_on_commit_callbacks):
    client, url = _respondent(built, django_capture_on_commit_callbacks)
    page = client.get(url).text
    assert "data-autosave" in page and 'hx-vals=\'{"autosave": "1"}\'' in page
    empty = str(survey_rules.fingerprint({}))
    # Half answered: the required scale left empty (submitting would refuse it), saved as it is.
    typed = raw(built, multi=["売上"], number="１２") | {"revision": empty, "autosave": "1"}
    saved = client.post(url, typed, **HX)
    assert saved.status_code == 200 and "保存しました" in saved.text
    revision = survey_rules.fingerprint({built["multi"].pk: ["売上"], built["number"].pk: 12})
    assert f'value="{revision}" hx-swap-oob="true"' in saved.text
    assert dict(SurveyAnswer.objects.values_list("question_id", "value")) == {
        built["multi"].pk: ["売上"],
        built["number"].pk: 12,
    }
    assert SurveyInvitation.objects.get().submitted_at is None  # never submitted by an autosave
    reread = client.get(url).text
    assert 'value="12"' in reread and f'name="revision" id="id_revision" value="{revision}"' in reread
    # The button right after, from the revision before the autosave: the same answers, no conflict.
    assert client.post(url, typed | {"autosave": ""}).status_code == 302
    assert AuditEntry.objects.filter(action="surveys.section_saved").count() == 1


def test_a_stale_autosave_changes_nothing_and_the_button_answers_409(
    built, django_capture_on_commit_callbacks
):
    client, url = _respondent(built, django_capture_on_commit_callbacks)
    empty = str(survey_rules.fingerprint({}))
    client.post(url, raw(built, scale="4") | {"revision": empty, "autosave": "1"}, **HX)
    # A colleague's tab, opened before that save.
    stale = raw(built, scale="2") | {"revision": empty, "autosave": "1"}
    refused = client.post(url, stale, **HX)
    assert refused.status_code == 200 and "自動保存していません" in refused.text
    assert "hx-swap-oob" not in refused.text
    assert SurveyAnswer.objects.get().value == 4
    pressed = client.post(url, stale | {"autosave": ""})
    assert pressed.status_code == 409
    assert 'id="conflict-shown"' in pressed.text and "<dd>4</dd>" in pressed.text
    current = str(survey_rules.fingerprint({built["scale"].pk: 4}))
    assert f'name="revision" id="id_revision" value="{current}"' in pressed.text
    assert SurveyAnswer.objects.get().value == 4
    assert client.post(url, stale | {"revision": current, "autosave": ""}).status_code == 302
    assert SurveyAnswer.objects.get().value == 2


def test_an_invalid_autosave_names_the_question_and_saves_nothing(built, django_capture_on_commit_callbacks):
    client, url = _respondent(built, django_capture_on_commit_callbacks)
    typed = raw(built, scale="3", number="abc") | {
        "revision": str(survey_rules.fingerprint({})),
        "autosave": "1",
    }
    answer = client.post(url, typed, **HX)
    assert answer.status_code == 200
    assert "自動保存していません。" in answer.text and "削減時間:" in answer.text
    assert not SurveyAnswer.objects.exists()


def test_only_the_respondent_autosaves(built, django_capture_on_commit_callbacks, client_for):
    _client, url = _respondent(built, django_capture_on_commit_callbacks)
    typed = raw(built, scale="3") | {"revision": str(survey_rules.fingerprint({})), "autosave": "1"}
    advisor = Client()
    advisor.force_login(built["application"].engagement.lead_advisor)
    assert advisor.post(url, typed, **HX).status_code == 403
    assert client_for(Role.SECRETARIAT).post(url, typed, **HX).status_code == 403
    assert client_for(Role.APPLICANT).post(url, typed, **HX).status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_an_autosave_reads_a_fixed_number_of_queries(built, django_capture_on_commit_callbacks):
    client, url = _respondent(built, django_capture_on_commit_callbacks)
    counts = []
    revision = survey_rules.fingerprint({})
    for scale in (1, 2, 3):
        typed = raw(built, scale=str(scale)) | {"revision": str(revision), "autosave": "1"}
        with CaptureQueriesContext(connection) as queries:
            assert "保存しました" in client.post(url, typed, **HX).text
        counts.append(len(queries))
        revision = survey_rules.fingerprint({built["scale"].pk: scale})
    # session; user; the page's (invitation; members; sections; questions; answers; members); the
    # service's (invitation locked; engagement; members; questions; answers; delete the emptied;
    # the answer read and updated); audit ({AUDIT}); eight savepoint statements. The first save
    # also inserts and marks the invitation started.
    assert counts[1:] == [22 + AUDIT] * 2


def test_tracking_and_csv_pages(built, django_capture_on_commit_callbacks, client_for):
    send(built, django_capture_on_commit_callbacks)
    staff = client_for(Role.SECRETARIAT)
    page = staff.get(f"/staff/surveys/{built['survey'].pk}/").content.decode()
    assert "株式会社アルファ" in page and "未回答" in page
    # The answers' CSV is the list export's (the survey page's old plain CSV link is gone).
    assert f"/staff/exports/survey-answers/csv/?survey={built['survey'].pk}" in page
    assert "export.csv" not in page
    response = staff.get("/staff/exports/survey-answers/csv/", {"survey": built["survey"].pk})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff受付番号")
    assert "株式会社アルファ" in body


def test_reminder_source_lists_unsubmitted_invitations(built, django_capture_on_commit_callbacks):
    send(built, django_capture_on_commit_callbacks)
    invitation = SurveyInvitation.objects.get()
    items = sources.SOURCES[ReminderSource.SURVEY].open_items(None)
    assert [(i.object_id, i.due_on) for i in items] == [(invitation.pk, built["survey"].due_on)]
    assert (
        sources.link(items[0], "applicant")
        == f"/applications/{built['application'].pk}/surveys/{built['survey'].pk}/"
    )
    person = representative_of(built["application"].engagement)
    answering.save_section(
        actor=person, invitation=invitation, section=built["section"], raw=raw(built, scale="2")
    )
    answering.submit(actor=person, invitation=invitation)
    assert sources.open_item(ReminderSource.SURVEY, invitation.pk, built["survey"].due_on) is None
