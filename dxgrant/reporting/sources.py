"""The due items reminders are about, one source per kind: reads only, no writes.

A source lists the items open now, each with its due date, and answers whether one item is still
open for a due date (the task asks before it sends). A later due item (support report, results
report, KPI report, survey) is one more `Source` in `SOURCES`.

- acceptance: a notified award not yet accepted; due on the last day to accept (the day the
  acceptance page shows: `round.rules.awards.acceptance_days` from the notification).
- survey: an invitation to a survey not yet submitted; due on the survey's due date. The item is
  the invitation (a company may be asked several surveys), its page the survey's answer page.
- KPI report: a KPI year of the verification not yet filed (kpi_models.KpiYear.due_on), while
  the award is being carried out or verified.
- payee account: an accepted award with no current payee account; due on the same last day of the
  acceptance period (`Acceptance.last_day`), so the account is there when the first instalment,
  due on acceptance, is paid. A changed account awaiting the secretariat's acknowledgement is not
  the applicant's to do, so it is not reminded.
- support report: a month of implementation that has begun with no report filed for it
  (reporting/support_rules.py); due on `support_report_due_day` of the next month. It is the
  advisor's to do: the reminders before the due date go to the advisor (the source's `owner`),
  then the escalations to the advisor and the secretariat as for every source.
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
from dxgrant.surveys.models import SurveyInvitation

from . import support_rules
from .kpi_models import KpiYear
from .kpi_policies import FILING_STATES
from .models import ReminderSource
from .reminders import Audience
from .results_models import APPROVED, CONFIRMED, results_due_on
from .support_models import STANDING, SupportReport
from .support_policies import IMPLEMENTING, accepted_on


@dataclass(frozen=True)
class DueItem:
    source: ReminderSource
    application: Application
    due_on: dt.date
    # The row the item is about when it is not the application itself (a survey invitation),
    # and the applicant's page's URL arguments when they are not just the application's id.
    object_pk: int | None = None
    url_args: tuple[int, ...] = ()

    @property
    def object_id(self) -> int:
        return self.object_pk if self.object_pk is not None else self.application.pk


@dataclass(frozen=True)
class Source:
    kind: ReminderSource
    # What is due, for the email ("交付条件の受諾").
    label: Promise | str
    # Every open item, or only that of one object (`only`).
    open_items: Callable[[int | None], list[DueItem]]
    # The page to do it on, for its owner (the others get the application's page).
    url_name: str
    # Who does it, and so is reminded before the due date.
    owner: Audience = Audience.APPLICANT


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


def survey_items(only: int | None = None) -> list[DueItem]:
    """Survey invitations not submitted; due on the survey's due date (`only`: an invitation id)."""
    invitations = SurveyInvitation.objects.filter(submitted_at__isnull=True)
    if only is not None:
        invitations = invitations.filter(pk=only)
    invitations = invitations.select_related("survey", "application__round").order_by("pk")
    return [
        DueItem(
            ReminderSource.SURVEY,
            i.application,
            i.survey.due_on,
            object_pk=i.pk,
            url_args=(i.application_id, i.survey_id),
        )
        for i in invitations
    ]


def kpi_report_items(only: int | None = None) -> list[DueItem]:
    """KPI years not yet filed of awards still being verified; year 0 and year 1 share a due
    date, so one item per award and due date."""
    years = KpiYear.objects.filter(current_report__isnull=True, application__status__in=FILING_STATES)
    if only is not None:
        years = years.filter(application_id=only)
    items: dict[tuple[int, dt.date], DueItem] = {}
    for year in years.select_related("application__round").order_by("application_id", "due_on", "year"):
        key = (year.application_id, year.due_on)
        items.setdefault(key, DueItem(ReminderSource.KPI_REPORT, year.application, year.due_on))
    return list(items.values())


def support_report_items(only: int | None = None) -> list[DueItem]:
    """One item per award and month of implementation begun with no report standing (two queries)."""
    awards = Application.objects.filter(status__in=IMPLEMENTING, acceptance__isnull=False)
    if only is not None:
        awards = awards.filter(pk=only)
    applications = list(
        awards.select_related("round", "acceptance", "engagement__lead_advisor").order_by("pk")
    )
    filed: dict[int, set[dt.date]] = {}
    for application_id, month in SupportReport.objects.filter(
        application__in=[a.pk for a in applications], status__in=sorted(STANDING)
    ).values_list("application_id", "month"):
        filed.setdefault(application_id, set()).add(month)
    today = timezone.localdate()
    items = []
    for application in applications:
        start = accepted_on(application)
        if start is None:
            continue
        due_day = application.round.rules.reporting.support_report_due_day
        for month in support_rules.writable_months(start, application.round.programme_period_ends, today):
            if month not in filed.get(application.pk, set()):
                items.append(
                    DueItem(ReminderSource.SUPPORT_REPORT, application, support_rules.due_on(month, due_day))
                )
    return items


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
        Source(ReminderSource.SURVEY, ReminderSource.SURVEY.label, survey_items, "surveys:respond"),
        Source(ReminderSource.KPI_REPORT, ReminderSource.KPI_REPORT.label, kpi_report_items, "kpi:company"),
        Source(
            ReminderSource.SUPPORT_REPORT,
            ReminderSource.SUPPORT_REPORT.label,
            support_report_items,
            "support_reports:months",
            owner=Audience.ADVISOR,
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
    source = SOURCES[item.source]
    if audience in (Audience.APPLICANT, source.owner):
        return reverse(source.url_name, args=list(item.url_args or (item.object_id,)))
    if audience == Audience.ADVISOR:
        return reverse("applications:detail", args=[item.application.pk])
    return reverse("staff_applications:detail", args=[item.application.pk])
