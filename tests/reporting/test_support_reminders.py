"""Support report reminders through the real engine with the clock moved: the advisor is
reminded before the due date and when it has passed, then the secretariat; once each; nothing
for a month that was filed."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.reporting.models import Reminder, ReminderSource
from dxgrant.reporting.services import reminders
from dxgrant.reporting.services import support_reports as service

from .support_builders import TOKYO, implementing

pytestmark = pytest.mark.django_db
# Accepted Sat 31 Oct 2026: October's report is due Tue 10 Nov (3 Nov is a public holiday).
OCTOBER_DUE = dt.date(2026, 11, 10)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(8, 0), tzinfo=TOKYO), tick=False)


@pytest.fixture
def award(programme, make_user):
    make_user(Role.SECRETARIAT, email="sec@example.jp")
    with at(dt.date(2026, 10, 31)):
        # Paid: its payee account is registered, so only the support report is reminded.
        return implementing(programme, status=workflow.PAID)


def run(day, capture):
    with at(day), capture(execute=True):
        return reminders.send_due_reminders()


def sent() -> list[tuple[str, str]]:
    out = sorted((a, m.subject) for m in mail.outbox for a in m.to)
    mail.outbox.clear()
    return out


def test_the_advisor_is_reminded_then_the_secretariat_each_once(award, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    advisor = award.advisor.email
    run(dt.date(2026, 10, 30), capture)
    assert sent() == []
    run(dt.date(2026, 11, 2), capture)  # the 5th business day before
    message = mail.outbox[0]
    assert "月次支援報告" in message.subject and "期限のお知らせ" in message.subject
    assert "2026-11-10" in message.body
    assert f"/applications/{award.application.pk}/support-reports/" in message.body
    assert [a for a, _ in sent()] == [advisor]
    run(dt.date(2026, 11, 2), capture)
    run(dt.date(2026, 11, 4), capture)
    assert sent() == []
    run(dt.date(2026, 11, 9), capture)
    assert [a for a, _ in sent()] == [advisor]
    run(dt.date(2026, 11, 11), capture)
    overdue = sent()
    assert [a for a, _ in overdue] == [advisor] and "期限超過" in overdue[0][1]
    run(dt.date(2026, 11, 12), capture)
    assert sent() == []
    run(dt.date(2026, 11, 13), capture)
    assert [a for a, _ in sent()] == ["sec@example.jp"]
    run(dt.date(2026, 11, 13), capture)
    assert sent() == []
    rows = Reminder.objects.filter(source=ReminderSource.SUPPORT_REPORT, object_id=award.application.pk)
    assert sorted((r.step, r.audience) for r in rows) == [
        ("advisor", "advisor"),
        ("before-1", "advisor"),
        ("before-5", "advisor"),
        ("secretariat", "secretariat"),
    ]
    assert {r.due_on for r in rows} == {OCTOBER_DUE}
    assert award.applicant.email not in {e for r in rows for e in r.recipients}


def test_a_filed_month_is_not_reminded_or_escalated(award, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with at(dt.date(2026, 11, 6)):
        service.file_report(
            actor=award.advisor,
            application=award.application,
            month=dt.date(2026, 10, 1),
            content=service.ReportContent(
                activities="支援",
                progress=[service.Progress("done"), service.Progress("done")],
                next_steps="次",
            ),
            token=uuid.uuid4(),
        )
    mail.outbox.clear()
    for day in [dt.date(2026, 11, 9), dt.date(2026, 11, 11), dt.date(2026, 11, 13)]:
        run(day, capture)
    assert sent() == []
    assert not Reminder.objects.filter(source=ReminderSource.SUPPORT_REPORT).exists()
