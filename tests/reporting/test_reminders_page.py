"""/staff/reminders/: the reminders sent (filtered by kind and audience, 50 a page), the items due
in the next 14 days by kind, and the last and next runs on the worker; flat in queries as
reminders, runs and due items grow; a bad filter is named and filters nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.reporting.models import Reminder, ReminderRun
from tests.awards.conftest import notified

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NOTIFIED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TOKYO)  # the acceptance is due on Wed 2 Dec
TODAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def award(programme, make_user):
    with time_machine.travel(NOTIFIED, tick=False):
        return notified(programme, make_user(Role.SECRETARIAT))


def sent(
    application, *, source="acceptance", audience="applicant", step="before-5", due=dt.date(2026, 12, 2)
):
    return Reminder.objects.create(
        source=source,
        object_id=application.pk,
        due_on=due,
        step=step,
        audience=audience,
        sent_at=timezone.now(),
        recipients=["rep@example.jp"],
    )


def get(client, query: str = ""):
    with time_machine.travel(TODAY, tick=False):
        return client.get(f"/staff/reminders/{query}")


def test_the_reminders_sent_filtered_by_kind_and_audience(client_for, award):
    application = award.application
    before = sent(application)
    escalated = sent(
        application, audience="secretariat", step="overdue-secretariat", due=dt.date(2026, 11, 1)
    )
    payee = sent(application, source="payee_account", step="before-1")
    client = client_for(Role.SECRETARIAT)
    page = get(client).content.decode()
    for reminder in (before, escalated, payee):
        assert f'id="reminder-{reminder.pk}"' in page
    page = get(client, "?kind=acceptance").content.decode()
    assert f'id="reminder-{before.pk}"' in page and f'id="reminder-{payee.pk}"' not in page
    page = get(client, "?kind=acceptance&audience=secretariat").content.decode()
    assert f'id="reminder-{escalated.pk}"' in page and f'id="reminder-{before.pk}"' not in page
    assert application.receipt_number in page


def test_an_unknown_kind_is_named_and_filters_nothing(client_for, award):
    reminder = sent(award.application)
    response = get(client_for(Role.SECRETARIAT), "?kind=bogus")
    assert response.status_code == 400
    page = response.content.decode()
    assert "種類：選ばれた種類はありません。" in page
    assert f'id="reminder-{reminder.pk}"' in page


def test_the_items_due_in_the_next_14_days_by_kind(client_for, award):
    page = get(client_for(Role.AUDITOR)).content.decode()
    due = page[page.index('id="due-soon"') : page.index('id="sent"')]
    assert "交付条件の受諾（1件）" in due
    assert "2026-12-02" in due and award.application.company_name in due
    # Three weeks before, the acceptance is not yet within 14 days.
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=TOKYO), tick=False):
        page = client_for(Role.SECRETARIAT).get("/staff/reminders/").content.decode()
    assert "交付条件の受諾（0件）" in page


def test_the_last_run_the_next_and_the_missed_days(client_for, programme):
    start = dt.datetime(2026, 11, 23, 8, 0, tzinfo=TOKYO)
    ReminderRun.objects.create(
        run_on=dt.date(2026, 11, 23),
        scheduled_for=start,
        started_at=start,
        open_items=4,
        new_steps=2,
        queued=2,
    )
    ReminderRun.objects.create(run_on=dt.date(2026, 11, 22), scheduled_for=start - dt.timedelta(days=1))
    ReminderRun.objects.create(run_on=dt.date(2026, 11, 25), scheduled_for=start + dt.timedelta(days=2))
    page = get(client_for(Role.SECRETARIAT)).content.decode()
    assert "2026-11-23 08:00（期限のある項目 4 件、新しい督促 2 件、送信待ち 2 件）" in page
    next_run = page[page.index('id="next-run"') :]
    assert next_run.split("</dd>")[0].strip().endswith("2026-11-25 08:00")
    assert "2026-11-22" in page[page.index('id="missed-runs"') :]


def test_nothing_scheduled_says_what_to_run(client_for, programme):
    page = get(client_for(Role.SECRETARIAT)).content.decode()
    assert "まだ実行されていません。" in page
    assert "schedule-reminders" in page


def test_the_page_is_in_english_when_chosen(client_for, award):
    client = client_for(Role.SECRETARIAT)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = get(client, "?kind=bogus").content.decode()
    assert "Reminders sent" in page and "Items due in the next 14 days" in page
    assert "Type: the type chosen does not exist." in page
    assert "送信した督促" not in page


def test_queries_stay_flat_as_reminders_runs_and_items_grow(client_for, programme, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    client = client_for(Role.SECRETARIAT)
    with time_machine.travel(NOTIFIED, tick=False):
        first = notified(programme, secretariat)
    sent(first.application)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, "?audience=applicant").status_code == 200
        return len(queries)

    few = count()
    with time_machine.travel(NOTIFIED, tick=False):
        others = [
            notified(programme, secretariat, company_name=f"会社{i}", company_name_kana="カイシャ")
            for i in range(3)
        ]
    for award in others:
        sent(award.application)
        sent(award.application, source="payee_account")
    for day in range(10):
        ReminderRun.objects.create(
            run_on=dt.date(2026, 11, 1) + dt.timedelta(days=day), scheduled_for=NOTIFIED, started_at=NOTIFIED
        )
    assert count() == few
