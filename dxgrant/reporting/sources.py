"""The due items reminders are about, one source per kind: reads only, no writes.

A source lists the items open now, each with its due date, and answers whether one item is still
open for a due date (the task asks before it sends). A later due item (support report, results
report, KPI report, survey) is one more `Source` in `SOURCES`.

- acceptance: a notified award not yet accepted; due on the last day to accept (the day the
  acceptance page shows: `round.rules.awards.acceptance_days` from the notification).
- payee account: an accepted award with no current payee account; due on the same last day of the
  acceptance period (`Acceptance.last_day`), so the account is there when the first instalment,
  due on acceptance, is paid. A changed account awaiting the secretariat's acknowledgement is not
  the applicant's to do, so it is not reminded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import payee_rules
from dxgrant.integrity.models import AuditEntry

from .models import ReminderSource
from .reminders import Audience
from .results_models import APPROVED, CONFIRMED, results_due_on


@dataclass(frozen=True)
class DueItem:
    source: ReminderSource
    application: Application
    due_on: dt.date

    @property
    def object_id(self) -> int:
        return self.application.pk


@dataclass(frozen=True)
class Source:
    kind: ReminderSource
    # What is due, for the email ("交付条件の受諾").
    label: Promise | str
    # Every open item, or only that of one object (`only`).
    open_items: Callable[[int | None], list[DueItem]]
    # The applicant's page to do it on (the advisor and secretariat get the application's page).
    url_name: str


def _notified_on(application_ids: list[int]) -> dict[int, dt.date]:
    """The day (Asia/Tokyo) of each application's latest `notify` transition, in one query."""
    entries = AuditEntry.objects.filter(
        action="application.notify",
        object_type=Application._meta.label_lower,
        object_id__in=[str(pk) for pk in application_ids],
    ).values_list("object_id", "created_at")
    latest: dict[int, dt.datetime] = {}
    for object_id, created_at in entries:
        pk = int(object_id)
        if pk not in latest or created_at > latest[pk]:
            latest[pk] = created_at
    return {pk: timezone.localdate(at) for pk, at in latest.items()}


def acceptance_items(only: int | None = None) -> list[DueItem]:
    found = Application.objects.filter(status=workflow.NOTIFIED)
    if only is not None:
        found = found.filter(pk=only)
    applications = list(found.select_related("round").order_by("pk"))
    notified = _notified_on([a.pk for a in applications])
    items = []
    for application in applications:
        notified_on = notified.get(application.pk)
        if notified_on is None:
            continue
        last_day = payee_rules.acceptance_last_day(
            notified_on, application.round.rules.awards.acceptance_days
        )
        items.append(DueItem(ReminderSource.ACCEPTANCE, application, last_day))
    return items


def payee_account_items(only: int | None = None) -> list[DueItem]:
    applications = Application.objects.filter(status=workflow.ACCEPTED, acceptance__isnull=False).exclude(
        payee_accounts__is_current=True
    )
    if only is not None:
        applications = applications.filter(pk=only)
    applications = applications.select_related("round", "acceptance").order_by("pk")
    return [DueItem(ReminderSource.PAYEE_ACCOUNT, a, a.acceptance.last_day) for a in applications]


def results_report_items(only: int | None = None) -> list[DueItem]:
    """An accepted or paid award whose results report is not yet confirmed; due
    `results_report_due_days` after the round's programme period end."""
    applications = Application.objects.filter(status__in=[workflow.ACCEPTED, workflow.PAID]).exclude(
        results_report__status__in=[CONFIRMED, APPROVED]
    )
    if only is not None:
        applications = applications.filter(pk=only)
    applications = applications.select_related("round").order_by("pk")
    return [DueItem(ReminderSource.RESULTS_REPORT, a, results_due_on(a)) for a in applications]


SOURCES: dict[str, Source] = {
    s.kind.value: s
    for s in [
        Source(ReminderSource.ACCEPTANCE, ReminderSource.ACCEPTANCE.label, acceptance_items, "payee:accept"),
        Source(
            ReminderSource.PAYEE_ACCOUNT,
            ReminderSource.PAYEE_ACCOUNT.label,
            payee_account_items,
            "payee:account",
        ),
        Source(
            ReminderSource.RESULTS_REPORT,
            ReminderSource.RESULTS_REPORT.label,
            results_report_items,
            "applications:detail",
        ),
    ]
}


def open_item(source: str, object_id: int, due_on: dt.date) -> DueItem | None:
    """The item, if it is still open with this due date (else None: done, or its date moved)."""
    for item in SOURCES[source].open_items(object_id):
        if item.object_id == object_id and item.due_on == due_on:
            return item
    return None


def recipients(application: Application, audience: str) -> list[User]:
    """Who a step is sent to: the applicant company's active people; the lead advisor; the
    active secretariat staff."""
    if audience == Audience.APPLICANT:
        people = [m.user for m in application.engagement.members.select_related("user") if m.user.is_active]
        return list({p.pk: p for p in people}.values())
    if audience == Audience.ADVISOR:
        advisor = application.engagement.lead_advisor
        return [advisor] if advisor.is_active else []
    return list(User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("pk"))


def link(item: DueItem, audience: str) -> str:
    """The page the recipient acts on (path only)."""
    if audience == Audience.APPLICANT:
        return reverse(SOURCES[item.source].url_name, args=[item.object_id])
    if audience == Audience.ADVISOR:
        return reverse("applications:detail", args=[item.object_id])
    return reverse("staff_applications:detail", args=[item.object_id])
