"""Reminder emails, sent the one house way (core.notify): the engine queues a task per
`Reminder` row on commit; the task claims `sent_at` and sends in one transaction, so a failed send
rolls the claim back for a retry and a task run twice sends nothing the second time. Tasks read
models and sources, never services."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dxgrant.core import notify
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from . import dashboard, sources
from .models import ProgrammeFigures, Reminder
from .reminders import Audience


@task()
def send_reminder(reminder_id: int) -> None:
    """Send one step's reminder to its people, if the item is still open with the same due date
    (done meanwhile, or its date moved: nothing is sent and the row stays unsent)."""
    with transaction.atomic():
        reminder = Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).first()
        if reminder is None:
            return
        item = sources.open_item(reminder.source, reminder.object_id, reminder.due_on)
        if item is None or not notify.claim(Reminder, reminder.pk, "sent_at"):
            return
        people = sources.recipients(item.application, reminder.audience)
        today = timezone.localdate()
        context = {
            "what": sources.SOURCES[reminder.source].label,
            "application": item.application,
            "due_on": item.due_on,
            "overdue": item.due_on < today,
            "audience": reminder.audience,
            # To whoever does the item ("do it now"), or to those who help them.
            "to_applicant": reminder.audience in (Audience.APPLICANT, sources.SOURCES[reminder.source].owner),
            "link": notify.site_url(sources.link(item, reminder.audience)),
        }
        for person in people:
            notify.send_email("reporting/email/reminder", context | {"user": person}, to=person)
        emails = [p.email for p in people]
        Reminder.objects.filter(pk=reminder.pk).update(recipients=emails)
        audit_record(
            actor=None,
            action="reporting.reminder_sent",
            obj=reminder,
            changes={
                "source": reminder.source,
                "application": reminder.object_id,
                "due_on": reminder.due_on.isoformat(),
                "step": reminder.step,
                "recipients": emails,
            },
        )


@task()
def recount_figures(scope: str) -> None:
    """Recount the dashboard's figures of one round ("" every round) and store them; a round
    deleted meanwhile takes its stored figures with it."""
    round_obj = Round.objects.filter(code=scope).first() if scope else None
    if scope and round_obj is None:
        ProgrammeFigures.objects.filter(scope=scope).delete()
        return
    dashboard.store(round_obj)
