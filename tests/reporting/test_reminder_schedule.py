"""Reminders on the task worker's schedule (reporting/schedule.py), with the real database backend
of django-tasks and its worker (`db_worker --batch`) under a moved clock: each day runs once,
whatever queues it again; the chain moves to the next 08:00 Asia/Tokyo; a missed day is caught up
once at the next start."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from dxgrant.reporting import schedule
from dxgrant.reporting.models import ReminderRun

# Transactional (the worker reads what the test wrote): the audit log's append-only triggers are
# lifted for the closing flush only (tests/audit_triggers.py), else PostgreSQL refuses the flush.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_triggers_back_after_module", "flushable_audit_log"),
]

TOKYO = ZoneInfo("Asia/Tokyo")
DAY = dt.date(2026, 12, 2)
DATABASE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
TASK = "dxgrant.reporting.schedule.run_reminders"


def tokyo(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def waiting() -> list[tuple[str, dt.datetime]]:
    """The run tasks queued and not yet run: (the day they were queued for, run_after)."""
    rows = DBTaskResult.objects.filter(task_path=TASK, status="READY").order_by("run_after")
    return [(r.args_kwargs["args"][0], r.run_after.astimezone(TOKYO)) for r in rows]


def worker(at: dt.datetime) -> None:
    """The worker started at `at`: runs every task due by then, and exits."""
    with time_machine.travel(at, tick=False):
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def started() -> list[dt.date]:
    return list(ReminderRun.objects.filter(started_at__isnull=False).values_list("run_on", flat=True))


@pytest.fixture(autouse=True)
def database_tasks():
    with DATABASE_TASKS:
        yield


@pytest.fixture
def engine_days(monkeypatch):
    """The days the engine ran for, in order."""
    days: list[dt.date] = []
    real = schedule.reminders.send_due_reminders

    def counted(*, today=None):
        days.append(today)
        return real(today=today)

    monkeypatch.setattr(schedule.reminders, "send_due_reminders", counted)
    return days


def test_the_next_run_is_queued_for_the_next_morning_at_eight_in_tokyo():
    run = schedule.run_today(tokyo(DAY, 8, 0))
    assert run is not None and run.run_on == DAY and run.finished_at is not None
    assert waiting() == [("2026-12-03", tokyo(DAY + dt.timedelta(days=1), 8, 0))]
    # The row of the next day names its task.
    nxt = ReminderRun.objects.get(run_on=DAY + dt.timedelta(days=1))
    assert nxt.started_at is None
    assert DBTaskResult.objects.get(pk=nxt.task_id).task_path == TASK


def test_a_day_is_claimed_once_a_second_run_the_same_day_does_nothing():
    assert schedule.run_today(tokyo(DAY, 8, 0)) is not None
    assert schedule.run_today(tokyo(DAY, 15, 0)) is None
    assert started() == [DAY]
    assert ReminderRun.objects.get(run_on=DAY).started_at == tokyo(DAY, 8, 0)
    # Still one run queued for tomorrow, not two chains.
    assert len(waiting()) == 1


def test_scheduling_the_same_day_again_queues_nothing():
    first = schedule.schedule(DAY, tokyo(DAY, 8, 0))
    again = schedule.schedule(DAY, tokyo(DAY, 8, 0))
    assert first.task_id and again.task_id == first.task_id
    assert waiting() == [("2026-12-02", tokyo(DAY, 8, 0))]
    # The start of the worker, again and again before 08:00: the same one run.
    for _ in range(3):
        schedule.ensure_scheduled(tokyo(DAY, 6, 0))
    assert len(waiting()) == 1


def test_the_worker_runs_the_chain_a_day_at_a_time_and_a_restart_adds_no_second_chain(engine_days):
    schedule.ensure_scheduled(tokyo(DAY, 7, 0))
    worker(tokyo(DAY, 7, 59))
    assert started() == []  # not yet 08:00
    worker(tokyo(DAY, 8, 0))
    assert started() == [DAY]
    # The worker restarts at noon: the start finds today done and tomorrow's run waiting.
    schedule.ensure_scheduled(tokyo(DAY, 12, 0))
    worker(tokyo(DAY, 12, 0))
    assert started() == [DAY]
    assert waiting() == [("2026-12-03", tokyo(DAY + dt.timedelta(days=1), 8, 0))]
    worker(tokyo(DAY + dt.timedelta(days=1), 8, 0))
    assert started() == [DAY, DAY + dt.timedelta(days=1)]
    assert engine_days == started()
    assert len(waiting()) == 1


def test_two_chains_run_each_day_once(engine_days):
    """A second task for today (queued by hand, or by a second start racing the first) runs and
    finds the day claimed."""
    schedule.ensure_scheduled(tokyo(DAY, 7, 0))
    schedule.run_reminders.using(run_after=tokyo(DAY, 8, 0)).enqueue(DAY.isoformat())
    worker(tokyo(DAY, 8, 0))
    assert engine_days == [DAY]
    assert ReminderRun.objects.count() == 2  # today, and tomorrow once
    assert len(waiting()) == 1


def test_after_a_missed_day_the_next_start_runs_today_once(engine_days):
    schedule.ensure_scheduled(tokyo(DAY, 7, 0))  # queued for 2 Dec 08:00; the worker is down
    later = DAY + dt.timedelta(days=2)
    # The worker comes back on 4 Dec at 10:00; its start asks for today's run, now.
    schedule.ensure_scheduled(tokyo(later, 10, 0))
    worker(tokyo(later, 10, 0))
    # The stale task of 2 Dec and the start's task of 4 Dec both ran: 4 Dec ran once.
    assert engine_days == [later]
    assert started() == [later]
    assert ReminderRun.objects.get(run_on=DAY).started_at is None  # 2 Dec: missed, shown so
    assert waiting() == [("2026-12-05", tokyo(later + dt.timedelta(days=1), 8, 0))]


def test_a_failed_run_leaves_the_day_unclaimed_and_the_chain_alive(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(schedule.reminders, "send_due_reminders", broken)
    with pytest.raises(RuntimeError):
        schedule.run_today(tokyo(DAY, 8, 0))
    assert started() == []
    assert [day for day, _ in waiting()] == ["2026-12-03"]
    monkeypatch.undo()
    # The next start, the same day: today runs now.
    schedule.ensure_scheduled(tokyo(DAY, 9, 0))
    worker(tokyo(DAY, 9, 0))
    assert started() == [DAY]


def test_the_command_is_idempotent(capsys):
    with time_machine.travel(tokyo(DAY, 6, 0), tick=False):
        call_command("schedule_reminders")
        call_command("schedule_reminders")
    assert waiting() == [("2026-12-02", tokyo(DAY, 8, 0))]
    assert "2026-12-02" in capsys.readouterr().out
