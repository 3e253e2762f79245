"""The reminder engine with real awards, real emails and the clock moved: the right people, once
each, escalation, nothing for what is done, and nothing twice across a rerun or a worker killed
between the claim and the send."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from dxgrant.accounts.models import Role, StepUpPurpose
from dxgrant.awards.models import PayeeAccount
from dxgrant.awards.services import acceptance, codes
from dxgrant.core import notify
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting import sources, tasks
from dxgrant.reporting.models import Reminder, ReminderSource
from dxgrant.reporting.services import reminders
from dxgrant.support.models import EngagementMember
from tests.awards.conftest import notified
from tests.factories.accounts import totp_now

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# Notified on Mon 2 Nov 2026: the 30-day acceptance period ends on Wed 2 Dec.
NOTIFIED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TOKYO)
DUE = dt.date(2026, 12, 2)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(8, 0), tzinfo=TOKYO), tick=False)


@pytest.fixture
def award(programme, make_user):
    secretariat = make_user(Role.SECRETARIAT, email="sec@example.jp")
    make_user(Role.SECRETARIAT, email="sec-gone@example.jp", is_active=False)
    with time_machine.travel(NOTIFIED, tick=False):
        return notified(programme, secretariat)


def run(day: dt.date, capture) -> reminders.RunSummary:
    with at(day), capture(execute=True):
        return reminders.send_due_reminders()


def sent_to() -> list[str]:
    addresses = sorted(a for m in mail.outbox for a in m.to)
    mail.outbox.clear()
    return addresses


def applicant_people(award) -> list[str]:
    members = EngagementMember.objects.filter(engagement=award.application.engagement, user__is_active=True)
    return sorted({m.user.email for m in members})


def test_acceptance_reminders_then_escalation_each_once(award, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    people = applicant_people(award)
    assert award.applicant.email in people and award.advisor.email not in people
    assert run(dt.date(2026, 11, 24), capture).queued == 0
    assert sent_to() == []
    assert run(dt.date(2026, 11, 25), capture).new_steps == 1
    message = mail.outbox[0]
    assert "期限のお知らせ" in message.subject and "交付条件の受諾" in message.subject
    assert "2026-12-02" in message.body
    assert f"/applications/{award.application.pk}/acceptance/" in message.body
    assert sent_to() == people
    # The same day again, and the days until the next step: nothing.
    for day in [dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 30)]:
        assert run(day, capture).queued == 0
    assert sent_to() == []
    run(dt.date(2026, 12, 1), capture)
    assert sent_to() == people
    run(dt.date(2026, 12, 2), capture)
    assert sent_to() == []
    # Overdue +1 business day: the advisor alone.
    run(dt.date(2026, 12, 3), capture)
    assert "期限超過" in mail.outbox[0].subject
    assert sent_to() == [award.advisor.email]
    run(dt.date(2026, 12, 4), capture)
    assert sent_to() == []
    # +3 business days (Thu, Fri, Mon): the active secretariat.
    run(dt.date(2026, 12, 7), capture)
    assert sent_to() == ["sec@example.jp"]
    run(dt.date(2026, 12, 8), capture)
    assert sent_to() == []
    rows = Reminder.objects.filter(source=ReminderSource.ACCEPTANCE, object_id=award.application.pk)
    assert sorted(rows.values_list("step", flat=True)) == ["advisor", "before-1", "before-5", "secretariat"]
    assert all(r.sent_at and r.due_on == DUE for r in rows)
    assert AuditEntry.objects.filter(action="reporting.reminder_sent").count() == 4


def test_a_repeated_task_sends_nothing_the_second_time(award, django_capture_on_commit_callbacks):
    run(dt.date(2026, 11, 25), django_capture_on_commit_callbacks)
    first = len(mail.outbox)
    assert first >= 1
    reminder = Reminder.objects.get()
    with at(dt.date(2026, 11, 25)):
        tasks.send_reminder.call(reminder.pk)
    assert len(mail.outbox) == first


def test_a_worker_killed_between_claim_and_send_sends_once_after_restart(
    award, monkeypatch, django_capture_on_commit_callbacks
):
    real = notify.send_email

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(notify, "send_email", killed)
    with at(dt.date(2026, 11, 25)):
        reminders.send_due_reminders()  # the row is made; its task is picked up by a worker...
        reminder = Reminder.objects.get()
        with pytest.raises(SystemExit):
            tasks.send_reminder.call(reminder.pk)  # ...which dies after the claim, while sending
    reminder.refresh_from_db()
    assert reminder.sent_at is None  # the claim rolled back with the send
    assert not AuditEntry.objects.filter(action="reporting.reminder_sent").exists()
    monkeypatch.setattr(notify, "send_email", real)
    # The worker is back; the engine runs again (the same day, or the next).
    assert run(dt.date(2026, 11, 26), django_capture_on_commit_callbacks).queued == 1
    assert sent_to() == applicant_people(award)
    assert run(dt.date(2026, 11, 26), django_capture_on_commit_callbacks).queued == 0
    assert sent_to() == []
    assert Reminder.objects.get().sent_at is not None


def _accept(award, day: dt.date):
    with at(day):
        attempt = codes.verify_code(
            user=award.applicant,
            code=totp_now(award.applicant),
            application=award.application,
            purpose=StepUpPurpose.ACCEPTANCE,
        ).attempt
        acceptance.accept_conditions(application=award.application, actor=award.applicant, step_up=attempt)


def test_accepted_awards_get_no_acceptance_reminder_but_the_payee_account_one(
    award, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _accept(award, dt.date(2026, 11, 20))
    mail.outbox.clear()
    summary = run(dt.date(2026, 11, 25), capture)
    assert summary.new_steps == 1
    reminder = Reminder.objects.get()
    # The payee account is due on the last day of the acceptance period.
    assert (reminder.source, reminder.due_on, reminder.step) == (
        ReminderSource.PAYEE_ACCOUNT,
        DUE,
        "before-5",
    )
    assert "振込先口座の登録" in mail.outbox[0].subject
    assert f"/applications/{award.application.pk}/payee/" in mail.outbox[0].body
    assert sent_to() == applicant_people(award)


def test_nothing_once_the_payee_account_is_registered(award, django_capture_on_commit_callbacks):
    _accept(award, dt.date(2026, 11, 20))
    PayeeAccount.objects.create(
        application=award.application,
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number="1234567",
        holder_kana="ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ",
        created_by=award.applicant,
    )
    mail.outbox.clear()
    # The payee source lists nothing. The accepted award now owes monthly support reports (the
    # advisor's) and its results report (due after the programme period: no reminder of it falls
    # on these days): only support-report reminders remain.
    assert sources.payee_account_items(award.application.pk) == []
    for day in [dt.date(2026, 11, 25), dt.date(2026, 12, 1), dt.date(2026, 12, 7)]:
        run(day, django_capture_on_commit_callbacks)
    assert not any("振込先口座" in m.subject for m in mail.outbox)
    assert set(sent_to()) <= {award.advisor.email}
    assert not Reminder.objects.exclude(source=ReminderSource.SUPPORT_REPORT).exists()


def test_a_step_queued_before_the_item_was_done_is_not_sent(award, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 11, 25)):
        reminders.send_due_reminders()  # queued, but the worker has not run it yet
    _accept(award, dt.date(2026, 11, 25))
    mail.outbox.clear()
    reminder = Reminder.objects.get(source=ReminderSource.ACCEPTANCE)
    with at(dt.date(2026, 11, 25)):
        tasks.send_reminder.call(reminder.pk)
    assert sent_to() == []
    reminder.refresh_from_db()
    assert reminder.sent_at is None


def test_the_command_is_idempotent(award, capsys, django_capture_on_commit_callbacks):
    # Run twice before the worker picks anything up: the steps are queued twice, sent once.
    with at(dt.date(2026, 12, 7)), django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
        call_command("send_reminders")
    # Late start: the stale reminders before the due date are not sent; both escalations are.
    assert sent_to() == sorted([award.advisor.email, "sec@example.jp"])
    with at(dt.date(2026, 12, 7)), django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert sent_to() == []
    assert capsys.readouterr().out.splitlines() == [
        "2026-12-07: 1 open items, 2 new reminders, 2 queued",
        "2026-12-07: 1 open items, 0 new reminders, 2 queued",
        "2026-12-07: 1 open items, 0 new reminders, 0 queued",
    ]


def test_in_english_for_who_chose_it(award, django_capture_on_commit_callbacks):
    award.applicant.preferred_language = "en"
    award.applicant.save(update_fields=["preferred_language"])
    run(dt.date(2026, 12, 1), django_capture_on_commit_callbacks)
    english = [m for m in mail.outbox if m.to == [award.applicant.email]]
    assert len(english) == 1
    assert english[0].subject == "[Due date reminder] Acceptance of the grant conditions"
    assert '"Acceptance of the grant conditions" is due on 2026-12-02.' in english[0].body
