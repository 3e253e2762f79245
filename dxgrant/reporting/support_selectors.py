"""The secretariat's reads of the support reports: the awards under implementation with a month
overdue (its due date passed, no report filed) or a report disputed, found in the database so
that a page of them costs the same whatever the number of awards."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest
from django.utils import timezone

from dxgrant.applications.models import Application
from dxgrant.programs.models import Round

from . import support_rules as rules
from .support_models import STANDING, SupportReport, SupportReportStatus
from .support_policies import IMPLEMENTING, accepted_on


def month_index(day: dt.date) -> int:
    """Months counted from year 0: consecutive months have consecutive indexes."""
    return day.year * 12 + day.month - 1


def last_due_index(round_obj: Round, today: dt.date) -> int:
    """The index of the round's last month whose report is overdue today (due before today)."""
    due_day = round_obj.rules.reporting.support_report_due_day
    # Month M is due on `due_day` of M+1: last month if that day has passed, else the one before.
    last = month_index(today) - (1 if due_day < today.day else 2)
    return min(last, month_index(round_obj.programme_period_ends))


@dataclass(frozen=True)
class StaffFilters:
    round_id: int | None = None

    @classmethod
    def of(cls, query: Mapping[str, str]) -> StaffFilters:
        value = query.get("round", "")
        return cls(int(value) if value.isdigit() else None)


def implementing_awards(filters: StaffFilters) -> QuerySet[Application]:
    awards = Application.objects.filter(status__in=IMPLEMENTING, acceptance__isnull=False)
    if filters.round_id is not None:
        awards = awards.filter(round_id=filters.round_id)
    return awards


def rounds_with_awards() -> list[Round]:
    return list(
        Round.objects.filter(
            pk__in=Application.objects.filter(status__in=IMPLEMENTING).values("round_id")
        ).order_by("-programme_period_ends", "pk")
    )


def awards_needing_attention(filters: StaffFilters, today: dt.date) -> QuerySet[Application]:
    """Awards with at least one overdue month or a disputed report (one query for the rounds'
    due days, then one for a page of awards)."""
    awards = implementing_awards(filters)
    rounds = Round.objects.filter(pk__in=awards.values("round_id"))
    last = Case(
        *[When(round_id=r.pk, then=Value(last_due_index(r, today))) for r in rounds],
        default=Value(-1),
        output_field=IntegerField(),
    )
    tz = timezone.get_current_timezone()
    accepted = (
        ExtractYear("acceptance__accepted_at", tzinfo=tz) * 12
        + ExtractMonth("acceptance__accepted_at", tzinfo=tz)
        - 1
    )
    filed = (
        SupportReport.objects.filter(application=OuterRef("pk"), status__in=sorted(STANDING))
        .annotate(idx=ExtractYear("month") * 12 + ExtractMonth("month") - 1)
        .filter(idx__lte=OuterRef("last_due"))
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    disputed = SupportReport.objects.filter(application=OuterRef("pk"), status=SupportReportStatus.DISPUTED)
    return (
        awards.select_related("round", "acceptance", "engagement__lead_advisor")
        .annotate(last_due=last, accepted_idx=accepted)
        .annotate(
            expected=Greatest(F("last_due") - F("accepted_idx") + 1, Value(0)),
            filed=Coalesce(Subquery(filed, output_field=IntegerField()), Value(0)),
            has_dispute=Exists(disputed),
        )
        .filter(Q(filed__lt=F("expected")) | Q(has_dispute=True))
    )


@dataclass(frozen=True)
class AttentionRow:
    application: Application
    overdue: list[dt.date]
    disputed: list[SupportReport]


def attention_rows(awards: list[Application], today: dt.date) -> list[AttentionRow]:
    """A page of awards with their overdue months and disputed reports (one query)."""
    reports: dict[int, list[SupportReport]] = defaultdict(list)
    for report in SupportReport.objects.filter(
        application__in=[a.pk for a in awards], status__in=sorted(STANDING)
    ).order_by("month"):
        reports[report.application_id].append(report)
    rows = []
    for award in awards:
        start = accepted_on(award)
        mine = reports[award.pk]
        overdue = (
            rules.overdue_months(
                start,
                award.round.programme_period_ends,
                award.round.rules.reporting.support_report_due_day,
                today,
                [r.month for r in mine],
            )
            if start is not None
            else []
        )
        rows.append(
            AttentionRow(award, overdue, [r for r in mine if r.status == SupportReportStatus.DISPUTED])
        )
    return rows
