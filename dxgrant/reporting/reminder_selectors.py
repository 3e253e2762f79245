"""Reads for the secretariat's page of reminders (/staff/reminders/): the reminders sent, the items
falling due soon (from `sources.SOURCES`), and the daily runs on the worker (reporting/schedule.py).
Every read here is a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.functional import Promise

from dxgrant.applications.models import Application
from dxgrant.surveys.models import SurveyInvitation

from . import sources
from .models import Reminder, ReminderRun, ReminderSource

DUE_SOON_DAYS = 14


def sent_reminders(kind: str = "", audience: str = "") -> QuerySet[Reminder]:
    """The reminders sent, optionally of one kind (source) and one audience."""
    found = Reminder.objects.filter(sent_at__isnull=False)
    if kind:
        found = found.filter(source=kind)
    if audience:
        found = found.filter(audience=audience)
    return found


@dataclass(frozen=True)
class SentRow:
    reminder: Reminder
    application: Application | None


def sent_rows(page: Sequence[Reminder]) -> list[SentRow]:
    """A page of reminders with the application each is about (two queries for the page: the
    survey invitations, then the applications)."""
    survey_ids = [r.object_id for r in page if r.source == ReminderSource.SURVEY]
    invitation_app = dict(
        SurveyInvitation.objects.filter(pk__in=survey_ids).values_list("pk", "application_id")
    )

    def application_id(reminder: Reminder) -> int | None:
        if reminder.source == ReminderSource.SURVEY:
            return invitation_app.get(reminder.object_id)
        return reminder.object_id

    ids = {application_id(r) for r in page} - {None}
    applications = Application.objects.only("pk", "receipt_number", "company_name").in_bulk(ids)
    return [SentRow(r, applications.get(application_id(r) or 0)) for r in page]


@dataclass
class DueKind:
    kind: str
    label: Promise | str
    items: list[sources.DueItem] = field(default_factory=list)


def due_soon(today: dt.date, days: int = DUE_SOON_DAYS) -> list[DueKind]:
    """The open items due from today to `days` ahead, by kind in the order of `SOURCES`, each
    kind's items by due date (each source's own few queries)."""
    last = today + dt.timedelta(days=days)
    kinds = []
    for source in sources.SOURCES.values():
        items = [i for i in source.open_items(None) if today <= i.due_on <= last]
        items.sort(key=lambda i: (i.due_on, i.application.pk))
        kinds.append(DueKind(source.kind.value, source.label, items))
    return kinds


@dataclass(frozen=True)
class Runs:
    last: ReminderRun | None
    next: ReminderRun | None
    missed: list[dt.date]


def runs(today: dt.date) -> Runs:
    """The last run that started, the next one waiting, and the days of the last month whose run
    never started (the worker was down): two queries."""
    last = ReminderRun.objects.filter(started_at__isnull=False).order_by("-run_on").first()
    recent = list(
        ReminderRun.objects.filter(
            run_on__gte=today - dt.timedelta(days=30), started_at__isnull=True
        ).order_by("run_on")
    )
    waiting = [r for r in recent if r.run_on >= today]
    missed = [r.run_on for r in recent if r.run_on < today]
    return Runs(last, waiting[-1] if waiting else None, missed)
