"""Hearing records (ヒアリング): the advisor writes them; the applicant acknowledges or disputes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dxgrant.advisors.models import CertificationState
from dxgrant.integrity.models import AuditEntry
from dxgrant.support.models import HearingRecord, HearingResponse
from dxgrant.support.services import hearings
from tests.factories.accounts import signed_in
from tests.factories.support import hearing_for

pytestmark = pytest.mark.django_db


def hearing_data(**overrides: object) -> dict[str, object]:
    return {
        "held_on": timezone.localdate().isoformat(),
        "attendees": "代表取締役 山田花子、アドバイザー 佐藤一郎",
        "topics": "受発注の流れと、紙の伝票の転記",
        "challenges": "在庫の把握に毎日2時間かかっている",
        "next_steps": "山田: 伝票の種類を一覧にする",
        "submission_token": str(uuid.uuid4()),
    } | overrides


def respond(client, hearing, response: str, comment: str = "", revision: int | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/support/hearings/{hearing.pk}/respond/",
        {"response": response, "comment": comment, "revision": revision or hearing.revision},
    )


def test_the_advisor_records_a_hearing_and_the_representative_is_asked_to_confirm(
    engagement, advisor, representative, django_capture_on_commit_callbacks
):
    client = signed_in(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/support/engagements/{engagement.pk}/hearings/new/", hearing_data())
    hearing = HearingRecord.objects.get()
    assert response["Location"] == f"/support/hearings/{hearing.pk}/"
    assert hearing.response == HearingResponse.PENDING and hearing.author == advisor
    assert [m.to for m in mail.outbox] == [[representative.email]]
    assert f"/support/hearings/{hearing.pk}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="support.hearing_recorded", object_id=str(hearing.pk)).exists()
    mine = signed_in(representative).get(f"/support/my/{engagement.pk}/").content.decode()
    assert "1件の記録が確認を待っています" in mine


def test_a_future_date_is_refused(engagement, advisor):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = signed_in(advisor).post(
        f"/support/engagements/{engagement.pk}/hearings/new/", hearing_data(held_on=tomorrow)
    )
    assert response.status_code == 400 and "未来の日付は指定できません" in response.content.decode()
    assert not HearingRecord.objects.exists()


def test_a_double_submit_records_one_hearing(engagement, advisor):
    client = signed_in(advisor)
    data = hearing_data()
    client.post(f"/support/engagements/{engagement.pk}/hearings/new/", data)
    client.post(f"/support/engagements/{engagement.pk}/hearings/new/", data)
    assert HearingRecord.objects.count() == 1


def test_the_representative_acknowledges_and_the_record_is_then_frozen(engagement, advisor, representative):
    hearing = hearing_for(engagement)
    applicant = signed_in(representative)
    page = applicant.get(f"/support/hearings/{hearing.pk}/").content.decode()
    assert "在庫の把握に毎日2時間" in page and "回答を送る" in page
    response = respond(applicant, hearing, "acknowledged")
    assert "回答を送りました" in applicant.get(response["Location"]).content.decode()
    hearing.refresh_from_db()
    assert hearing.response == HearingResponse.ACKNOWLEDGED and hearing.responded_by == representative
    adviser = signed_in(advisor)
    assert "編集する" not in adviser.get(f"/support/hearings/{hearing.pk}/").content.decode()
    refused = adviser.post(f"/support/hearings/{hearing.pk}/edit/", hearing_data(revision=1))
    assert refused.status_code == 403 and "回答したヒアリング記録は編集できません" in refused.content.decode()


def test_a_double_submitted_answer_is_recorded_once(engagement, representative):
    hearing = hearing_for(engagement)
    applicant = signed_in(representative)
    first = respond(applicant, hearing, "acknowledged")
    second = respond(applicant, hearing, "acknowledged")
    assert first.status_code == second.status_code == 302
    assert AuditEntry.objects.filter(action="support.hearing_acknowledged").count() == 1


def test_a_dispute_needs_a_comment(engagement, representative):
    hearing = hearing_for(engagement)
    applicant = signed_in(representative)
    missing = respond(applicant, hearing, "disputed")
    assert missing.status_code == 400 and "どこが事実と違うか" in missing.content.decode()
    hearing.refresh_from_db()
    assert hearing.response == HearingResponse.PENDING
    respond(applicant, hearing, "disputed", "在庫の把握は1日30分です。")
    hearing.refresh_from_db()
    assert (
        hearing.response == HearingResponse.DISPUTED
        and hearing.response_comment == "在庫の把握は1日30分です。"
    )


def test_a_disputed_record_is_answered_with_a_correction(engagement, advisor, representative):
    hearing = hearing_for(engagement)
    respond(signed_in(representative), hearing, "disputed", "在庫の把握は1日30分です。")
    adviser = signed_in(advisor)
    assert "異議のあるヒアリング記録 1件" in adviser.get("/support/").content.decode()
    form = adviser.get(f"/support/engagements/{engagement.pk}/hearings/new/?corrects={hearing.pk}")
    assert "在庫の把握は1日30分です。" in form.content.decode()
    adviser.post(
        f"/support/engagements/{engagement.pk}/hearings/new/",
        hearing_data(corrects=hearing.pk, challenges="在庫の把握に毎日30分かかっている"),
    )
    correction = HearingRecord.objects.exclude(pk=hearing.pk).get()
    assert correction.corrects == hearing and correction.response == HearingResponse.PENDING
    assert "異議のある" not in adviser.get("/support/").content.decode()
    original = adviser.get(f"/support/hearings/{hearing.pk}/").content.decode()
    assert "訂正の記録を見る" in original
    # One correction per disputed record.
    again = adviser.get(f"/support/engagements/{engagement.pk}/hearings/new/?corrects={hearing.pk}")
    assert again.status_code == 403


def test_an_answer_to_an_older_text_is_refused(engagement, advisor, representative):
    hearing = hearing_for(engagement)
    signed_in(advisor).post(
        f"/support/hearings/{hearing.pk}/edit/", hearing_data(revision=1, topics="書き直した内容")
    )
    hearing.refresh_from_db()
    assert hearing.revision == 2
    stale = respond(signed_in(representative), hearing, "acknowledged", revision=1)
    assert stale.status_code == 400 and "最新の内容を読んでから" in stale.content.decode()
    hearing.refresh_from_db()
    assert hearing.response == HearingResponse.PENDING


def test_two_advisors_editing_at_once_do_not_overwrite_each_other(engagement, advisor):
    hearing = hearing_for(engagement)
    client = signed_in(advisor)
    client.post(f"/support/hearings/{hearing.pk}/edit/", hearing_data(revision=1, topics="一人目"))
    late = client.post(f"/support/hearings/{hearing.pk}/edit/", hearing_data(revision=1, topics="二人目"))
    assert late.status_code == 400 and "別の画面で更新されました" in late.content.decode()
    hearing.refresh_from_db()
    assert hearing.topics == "一人目"


def test_the_advisor_cannot_answer_for_the_applicant(engagement, advisor):
    hearing = hearing_for(engagement)
    forged = respond(signed_in(advisor), hearing, "acknowledged")
    assert forged.status_code == 403
    with pytest.raises(PermissionDenied):
        hearings.respond_to_hearing(actor=advisor, hearing=hearing, revision=1, response="acknowledged")
    hearing.refresh_from_db()
    assert hearing.response == HearingResponse.PENDING


def test_a_suspended_firm_can_read_but_not_record(engagement, firm, advisor):
    hearing = hearing_for(engagement)
    firm.certification_state = CertificationState.SUSPENDED
    firm.save()
    client = signed_in(advisor)
    detail = client.get(f"/support/engagements/{engagement.pk}/").content.decode()
    assert "認定が停止されているため" in detail and "ヒアリング記録を作成する" not in detail
    assert client.get(f"/support/hearings/{hearing.pk}/").status_code == 200
    refused = client.post(f"/support/engagements/{engagement.pk}/hearings/new/", hearing_data())
    assert refused.status_code == 403 and "認定が停止されているため" in refused.content.decode()
    assert client.post(f"/support/hearings/{hearing.pk}/edit/", hearing_data(revision=1)).status_code == 403
    assert HearingRecord.objects.count() == 1
