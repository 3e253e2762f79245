"""Scheduling training sessions: curriculum from the round's data, times in Japan time,
invitees among the applicant company's people, a notice by email."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from dxgrant.accounts.models import Role
from dxgrant.support.models import TrainingSession
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.support import session_for

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=TOKYO)


def schedule(client, engagement, **overrides: object):  # type: ignore[no-untyped-def]
    data = {
        "curriculum_code": "data_operations",
        "date": "2026-12-03",
        "starts": "13:00",
        "ends": "15:00",
        "format": "onsite",
        "location": "東京都千代田区丸の内1-1-1 会議室A",
        "submission_token": str(uuid.uuid4()),
    } | overrides
    return client.post(f"/support/engagements/{engagement.pk}/training/new/", data)


@pytest.fixture(autouse=True)
def _frozen(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


def test_the_advisor_schedules_a_session_and_the_members_are_told(
    engagement, advisor, representative, django_capture_on_commit_callbacks
):
    client = signed_in(advisor)
    page = client.get(f"/support/engagements/{engagement.pk}/training/new/").content.decode()
    assert "データ活用と業務改革（2時間）" in page and "山田 花子" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(client, engagement)
    session = TrainingSession.objects.get()
    assert response["Location"] == f"/support/training/{session.pk}/"
    assert session.starts_at == dt.datetime(2026, 12, 3, 13, 0, tzinfo=TOKYO)
    assert session.ends_at == dt.datetime(2026, 12, 3, 15, 0, tzinfo=TOKYO)
    assert [m.to for m in mail.outbox] == [[representative.email]]
    assert "2026年12月3日（木） 13:00〜15:00" in mail.outbox[0].body
    assert "データ活用と業務改革" in mail.outbox[0].body
    shown = client.get(response["Location"]).content.decode()
    assert "出席コードは研修の開始時刻（2026年12月3日（木）13:00）から表示されます" in shown


def test_only_the_chosen_invitees_are_told(engagement, advisor, django_capture_on_commit_callbacks):
    staff = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=staff, role="staff")
    with django_capture_on_commit_callbacks(execute=True):
        schedule(signed_in(advisor), engagement, invitees=[str(staff.pk)])
    assert list(TrainingSession.objects.get().invitees.all()) == [staff]
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_someone_outside_the_company_cannot_be_invited(engagement, advisor):
    outsider = UserFactory(role=Role.APPLICANT)
    response = schedule(signed_in(advisor), engagement, invitees=[str(outsider.pk)])
    assert response.status_code == 400 and "申請者側のメンバーだけです" in response.content.decode()
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends": "12:00"}, "終了時刻は開始時刻より後にしてください"),
        ({"date": "2026-11-30"}, "終了時刻が過ぎています"),
        ({"curriculum_code": "not_in_the_round"}, "研修カリキュラムにない単元です"),
        ({"location": ""}, "場所またはURLを入力してください"),
    ],
)
def test_a_bad_schedule_is_refused_with_a_clear_message(engagement, advisor, overrides, message):
    response = schedule(signed_in(advisor), engagement, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_session_already_running_can_be_scheduled_for_an_impromptu_training(engagement, advisor):
    response = schedule(signed_in(advisor), engagement, date="2026-12-01", starts="09:30", ends="11:30")
    assert response.status_code == 302


def test_a_double_submit_schedules_one_session(engagement, advisor):
    client = signed_in(advisor)
    token = str(uuid.uuid4())
    schedule(client, engagement, submission_token=token)
    schedule(client, engagement, submission_token=token)
    assert TrainingSession.objects.count() == 1


def test_a_session_can_be_cancelled_before_it_starts_but_not_after(engagement, advisor, time_machine):
    upcoming = session_for(engagement, starts_at=NOW + dt.timedelta(days=1))
    client = signed_in(advisor)
    client.post(f"/support/training/{upcoming.pk}/cancel/")
    upcoming.refresh_from_db()
    assert upcoming.cancelled_at is not None
    running = session_for(engagement, starts_at=NOW - dt.timedelta(minutes=5))
    response = client.post(f"/support/training/{running.pk}/cancel/")
    assert "開始した研修は中止できません" in client.get(response["Location"]).content.decode()
    running.refresh_from_db()
    assert running.cancelled_at is None


def test_the_secretariat_reads_sessions_but_cannot_schedule(engagement, client_for):
    staff = client_for(Role.SECRETARIAT)
    session = session_for(engagement)
    assert staff.get(f"/support/training/{session.pk}/").status_code == 200
    assert staff.get(f"/support/training/{session.pk}/code/").status_code == 403
    assert schedule(staff, engagement).status_code == 403
    assert TrainingSession.objects.count() == 1
