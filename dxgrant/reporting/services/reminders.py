"""The reminder engine: find the steps due today across every source and queue each one's email,
once. Run daily on the task worker's schedule (reporting/schedule.py), or by hand with
`dxgrant send-reminders`; running it again the same day, or after a worker died, sends nothing
twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dxgrant.core.notify import enqueue_on_commit

from .. import reminders, sources, tasks
from ..models import Reminder


@dataclass(frozen=True)
class RunSummary:
    today: dt.date
    open_items: int
    new_steps: int
    queued: int


@transaction.atomic
def send_due_reminders(*, today: dt.date | None = None) -> RunSummary:
    """Make a `Reminder` row for every step due today (unique per source, object, due date and
    step) and queue its email on commit. A row not sent yet (its email task lost with a worker
    that died, or refused by a failing mail server) is queued again; the task claims `sent_at`,
    so a step queued twice is sent once.

    Callers: the system (the daily run on the worker, and the command); nobody acts, so no actor is checked. The
    task writes the audit entry of each reminder it sends."""
    today = today or timezone.localdate()
    open_count = new = queued = 0
    for source in sources.SOURCES.values():
        for item in source.open_items(None):
            open_count += 1
            rules = item.application.round.rules.reminders
            for step in reminders.due_steps(item.due_on, today, rules):
                # Reminders before the due date go to whoever does the item (the advisor, for a
                # support report); escalations to their own audiences.
                audience = source.owner if step.audience == reminders.Audience.APPLICANT else step.audience
                reminder, created = Reminder.objects.get_or_create(
                    source=item.source,
                    object_id=item.object_id,
                    due_on=item.due_on,
                    step=step.code,
                    defaults={"audience": audience.value},
                )
                new += created
                if reminder.sent_at is None:
                    enqueue_on_commit(tasks.send_reminder, reminder.pk)
                    queued += 1
    return RunSummary(today, open_count, new, queued)
