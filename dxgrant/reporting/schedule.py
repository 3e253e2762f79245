"""Reminders on the task worker's schedule: a daily task that runs the engine, then queues itself
for the next morning (08:00, the site's time zone, Asia/Tokyo).

django-tasks' database backend has no cron; a task queued with `run_after` waits in the
database until then, so the chain survives a worker restart. One `ReminderRun` row per day
(unique `run_on`) makes it exactly one chain:

- scheduling a day makes its row and queues its task once; scheduling it again while that task
  is still waiting (or running) queues nothing;
- a run claims its day (`started_at`, a conditional UPDATE) before it runs the engine, so a
  second chain, a task queued again at a restart, or two workers run each day once;
- the next day is scheduled first, so a failing run does not end the chain; a chain lost anyway
  (the worker down past 08:00, a task deleted) is restarted by `dxgrant schedule-reminders`,
  which `make run` and the worker's start call: today's run now if today has not run, else the
  next morning's.

This module is the system's act of sending the day's reminders, so the task here calls the
engine (services/reminders.py); the engine's own emails go through `tasks.send_reminder`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import ReminderRun
from .services import reminders

RUN_AT = dt.time(8, 0)


def run_time(day: dt.date) -> dt.datetime:
    """When a day's run is due: 08:00 of that day in the site's time zone."""
    return dt.datetime.combine(day, RUN_AT, tzinfo=timezone.get_current_timezone())


def _waiting(task_id: str) -> bool:
    """Whether the task is still queued or running (not finished, failed or gone)."""
    if not task_id:
        return False
    try:
        result = run_reminders.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


@transaction.atomic
def schedule(day: dt.date, at: dt.datetime) -> ReminderRun:
    """Make sure `day` has one run queued for `at`: nothing is queued when the day has run or
    its task is still waiting. A backend that cannot defer (the immediate one of the tests and
    development without a worker) gets the row and no task."""
    ReminderRun.objects.get_or_create(run_on=day, defaults={"scheduled_for": at})
    row = ReminderRun.objects.select_for_update().get(run_on=day)
    if row.started_at is not None or _waiting(row.task_id):
        return row
    row.scheduled_for = at
    row.task_id = ""
    if default_task_backend.supports_defer:
        row.task_id = str(run_reminders.using(run_after=at).enqueue(day.isoformat()).id)
    row.save(update_fields=["scheduled_for", "task_id"])
    return row


def ensure_scheduled(now: dt.datetime | None = None) -> ReminderRun:
    """The start of the worker (and of `make run`): today's run now if it is past 08:00 and today
    has not run (a missed day, a lost chain), else the next 08:00. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if now < run_time(today):
        return schedule(today, run_time(today))
    if not ReminderRun.objects.filter(run_on=today, started_at__isnull=False).exists():
        return schedule(today, now)
    tomorrow = today + dt.timedelta(days=1)
    return schedule(tomorrow, run_time(tomorrow))


def run_today(now: dt.datetime | None = None) -> ReminderRun | None:
    """Schedule tomorrow's run, then claim today's and run the engine for today; None when today
    has already run (a second chain or a repeated task). The claim and the engine's rows commit
    together: a failed run leaves today unclaimed for the next start."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tomorrow = today + dt.timedelta(days=1)
    schedule(tomorrow, run_time(tomorrow))
    with transaction.atomic():
        ReminderRun.objects.get_or_create(run_on=today, defaults={"scheduled_for": now})
        claimed = ReminderRun.objects.filter(run_on=today, started_at__isnull=True).update(started_at=now)
        if not claimed:
            return None
        summary = reminders.send_due_reminders(today=today)
        ReminderRun.objects.filter(run_on=today).update(
            finished_at=timezone.now(),
            open_items=summary.open_items,
            new_steps=summary.new_steps,
            queued=summary.queued,
        )
        return ReminderRun.objects.get(run_on=today)


@task()
def run_reminders(run_on: str) -> None:
    """The daily run queued for `run_on` (ISO date). It runs for the day it actually runs on: a
    task that waited through a worker's downtime catches up today, once."""
    run_today()
