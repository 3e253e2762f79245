"""The secretariat's dashboard: the programme's figures as aggregates (GROUP BY with Count and
Sum), never rows. Counting scans the applications, so it grows with them: the task worker counts
(`count`) and stores the counts (reporting.ProgrammeFigures, services/figures.py), and the page
builds its figures from the stored counts (`build`), in the same time with 200,000 applications
as with 1,000. The page draws them (charts.py) and lists them in tables.

Yen come from where they are decided and paid: the committee's decided amounts
(`decisions.Decision.amount_yen` of awarded outcomes) and the paid instalments
(`awards.Instalment`, status paid).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils import timezone

from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Instalment, InstalmentStatus
from dxgrant.decisions.models import Decision, Outcome
from dxgrant.programs.models import Round

from . import funnel, kpi_selectors, sources
from .models import ProgrammeFigures

TOP_PREFECTURES = 10
OTHER = "__other__"
UNKNOWN = ""


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Group:
    """Awards of one prefecture or industry ("" unknown, OTHER the rest beyond the top N)."""

    key: str
    count: int
    amount_yen: int


@dataclass(frozen=True)
class Budget:
    budget_yen: int
    decided_yen: int
    paid_yen: int


@dataclass(frozen=True)
class Due:
    """Open due items of one kind (a reminder source): overdue, due within DUE_SOON_DAYS, later."""

    source: str
    overdue: int
    due_soon: int
    later: int


@dataclass(frozen=True)
class KpiYear:
    """One KPI year across the cohort (kpi_selectors.cohort_years), as stored."""

    year: int
    opened: int
    filed: int
    overdue: int
    with_target: int
    met: int
    share_met: Decimal | None
    median: Decimal | None
    lower_quartile: Decimal | None
    upper_quartile: Decimal | None


@dataclass(frozen=True)
class Dashboard:
    round: Round | None
    funnel: list[funnel.Stage]
    statuses: list[StatusCount]
    budget: Budget
    awarded: int
    prefectures: list[Group]
    industries: list[Group]
    due: list[Due]
    kpi_years: list[KpiYear]
    # When the figures were counted (None: just now, by the caller).
    counted_at: dt.datetime | None = None


def rounds() -> list[Round]:
    """Every round, the newest first: the filter's choices (demo rounds are labelled on the page)."""
    return list(Round.objects.order_by("-application_opens", "code"))


def _status_groups(round_obj: Round | None) -> list[tuple[str, str | None, bool, int]]:
    applications = Application.objects.all()
    if round_obj is not None:
        applications = applications.filter(round=round_obj)
    rows = (
        applications.annotate(
            filed=ExpressionWrapper(Q(submitted_at__isnull=False), output_field=BooleanField())
        )
        .values("status", "decision__outcome", "filed")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(row["status"], row["decision__outcome"], bool(row["filed"]), row["n"]) for row in rows]


def _statuses(groups: Iterable[tuple[str, str | None, bool, int]]) -> list[StatusCount]:
    counts: dict[str, int] = {}
    for status, _outcome, _filed, n in groups:
        counts[status] = counts.get(status, 0) + n
    return [
        StatusCount(key, str(label), counts[key]) for key, label in workflow.STATES.items() if key in counts
    ]


def _awards_by(field: str, round_obj: Round | None) -> list[Group]:
    decisions = Decision.objects.filter(outcome=Outcome.AWARDED)
    if round_obj is not None:
        decisions = decisions.filter(round_decision__round=round_obj)
    rows = (
        decisions.values(f"application__{field}")
        .annotate(n=Count("id"), yen=Sum("amount_yen"))
        .order_by("-n", f"application__{field}")
    )
    return [Group(row[f"application__{field}"] or UNKNOWN, row["n"], row["yen"] or 0) for row in rows]


def top(groups: list[Group], n: int) -> list[Group]:
    """The n largest groups (by awards, as ordered), the rest summed as one OTHER group."""
    if len(groups) <= n:
        return groups
    rest = groups[n:]
    return [*groups[:n], Group(OTHER, sum(g.count for g in rest), sum(g.amount_yen for g in rest))]


def _paid_yen(round_obj: Round | None) -> int:
    paid = Instalment.objects.filter(status=InstalmentStatus.PAID)
    if round_obj is not None:
        paid = paid.filter(application__round=round_obj)
    return paid.aggregate(total=Sum("amount_yen"))["total"] or 0


DUE_SOON_DAYS = 30
DECIMALS = ("share_met", "median", "lower_quartile", "upper_quartile")


def _due(round_obj: Round | None) -> list[Due]:
    """Every kind of due item (reporting/sources.py), counted: overdue, due soon, later."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    found = []
    for key, source in sources.SOURCES.items():
        items = [
            i for i in source.open_items(None) if round_obj is None or i.application.round_id == round_obj.pk
        ]
        found.append(
            Due(
                key,
                sum(1 for i in items if i.due_on < today),
                sum(1 for i in items if today <= i.due_on <= soon),
                sum(1 for i in items if i.due_on > soon),
            )
        )
    return found


def _kpi_years(round_obj: Round | None) -> list[KpiYear]:
    return [
        KpiYear(
            y.year,
            y.opened,
            y.filed,
            y.overdue,
            y.figures.with_target,
            y.figures.met,
            y.figures.share_met,
            y.figures.median,
            y.figures.lower_quartile,
            y.figures.upper_quartile,
        )
        for y in kpi_selectors.cohort_years(round_obj)
    ]


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _kpi_year_of(data: dict[str, Any]) -> KpiYear:
    return KpiYear(
        int(data["year"]),
        int(data["opened"]),
        int(data["filed"]),
        int(data["overdue"]),
        int(data["with_target"]),
        int(data["met"]),
        *(_decimal(data[k]) for k in DECIMALS),
    )


@dataclass(frozen=True)
class Counted:
    """What the database says, before labels: stored as JSON (reporting.ProgrammeFigures)."""

    groups: list[tuple[str, str | None, bool, int]]
    prefectures: list[Group]
    industries: list[Group]
    paid_yen: int
    due: list[Due]
    kpi_years: list[KpiYear]

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": [list(g) for g in self.groups],
            "prefectures": [[g.key, g.count, g.amount_yen] for g in self.prefectures],
            "industries": [[g.key, g.count, g.amount_yen] for g in self.industries],
            "paid_yen": self.paid_yen,
            "due": [[d.source, d.overdue, d.due_soon, d.later] for d in self.due],
            "kpi_years": [
                {k: (str(v) if isinstance(v, Decimal) else v) for k, v in vars(y).items()}
                for y in self.kpi_years
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Counted:
        return cls(
            groups=[(str(s), o, bool(f), int(n)) for s, o, f, n in data["groups"]],
            prefectures=[Group(k, int(n), int(y)) for k, n, y in data["prefectures"]],
            industries=[Group(k, int(n), int(y)) for k, n, y in data["industries"]],
            paid_yen=int(data["paid_yen"]),
            due=[Due(str(k), int(o), int(s), int(la)) for k, o, s, la in data.get("due", [])],
            kpi_years=[_kpi_year_of(y) for y in data.get("kpi_years", [])],
        )


def count(round_obj: Round | None) -> Counted:
    """Count one round's figures, or every round's (None): four aggregate queries, each a scan
    of its table, so they are run by the task worker, not by the page (services/figures.py)."""
    return Counted(
        groups=_status_groups(round_obj),
        prefectures=_awards_by("prefecture", round_obj),
        industries=_awards_by("industry", round_obj),
        paid_yen=_paid_yen(round_obj),
        due=_due(round_obj),
        kpi_years=_kpi_years(round_obj),
    )


def build(
    round_obj: Round | None, all_rounds: list[Round], counted: Counted, counted_at: dt.datetime | None = None
) -> Dashboard:
    """The page's figures from the counts; `all_rounds` is the filter's list (the budget of every
    round is summed from it, without another query)."""
    budget_yen = round_obj.budget_yen if round_obj is not None else sum(r.budget_yen for r in all_rounds)
    return Dashboard(
        round=round_obj,
        funnel=funnel.funnel(counted.groups),
        statuses=_statuses(counted.groups),
        budget=Budget(
            budget_yen=budget_yen,
            decided_yen=sum(g.amount_yen for g in counted.prefectures),
            paid_yen=counted.paid_yen,
        ),
        awarded=sum(g.count for g in counted.prefectures),
        prefectures=top(counted.prefectures, TOP_PREFECTURES),
        industries=counted.industries,
        due=counted.due,
        kpi_years=counted.kpi_years,
        counted_at=counted_at,
    )


def dashboard(round_obj: Round | None, all_rounds: list[Round]) -> Dashboard:
    """The figures of one round, or of every round (None), counted now. Four queries."""
    return build(round_obj, all_rounds, count(round_obj))


EVERY_ROUND = ""


def scope_of(round_obj: Round | None) -> str:
    return round_obj.code if round_obj is not None else EVERY_ROUND


def store(round_obj: Round | None) -> ProgrammeFigures:
    """Count now and store the counts, with how long counting took."""
    started = time.perf_counter()
    counted = count(round_obj)
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    row, _created = ProgrammeFigures.objects.update_or_create(
        scope=scope_of(round_obj),
        defaults={
            "figures": counted.to_json(),
            "counted_at": timezone.now(),
            "count_ms": elapsed_ms,
            "recount_queued_at": None,
        },
    )
    return row
