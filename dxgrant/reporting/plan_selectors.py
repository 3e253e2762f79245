"""Reads of plan changes: the applicant's and advisor's plan page (the versions and their
differences, the requests), the secretariat's queue and one request against the plan in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dxgrant.accounts.models import Visitor
from dxgrant.applications.diff import compare_snapshots
from dxgrant.applications.models import Application
from dxgrant.core.pagination import KeysetPage, keyset_page
from dxgrant.programs.models import Round

from . import plan_change_rules as rules
from .plan_models import PlanChange, PlanChangeStatus, PlanVersion
from .plan_policies import plan_changes_visible_to
from .plans import Plan, as_snapshot, decided_plan, plan_of_version

PAGE_SIZE = 50


def compare_plans(old: Plan, new: Plan, round_obj: Round) -> dict[str, Any]:
    """The difference of two plans as the staff's version comparison shows it (applications.diff)."""
    return compare_snapshots(as_snapshot(old), as_snapshot(new), round_obj)


def proposed_plan(plan: Plan, change: PlanChange) -> Plan:
    """The plan in force as the request would make it."""
    return Plan(
        version=plan.version + 1,
        budget_lines=rules.with_amounts(plan.budget_lines, change.amounts)
        if len(change.amounts) == len(plan.budget_lines)
        else plan.budget_lines,
        milestones=list(change.milestones),
        kpis=plan.kpis,
    )


@dataclass(frozen=True)
class VersionRow:
    plan: Plan
    change: PlanChange | None
    comparison: dict[str, Any] | None  # against the version before


def plan_history(application: Application) -> tuple[list[VersionRow], list[PlanChange]]:
    """Every plan version, newest first, each with its difference from the one before, and every
    request, newest first (three queries)."""
    plans = [decided_plan(application)]
    changes = list(
        PlanChange.objects.filter(application=application).select_related("requested_by", "version")
    )
    by_version = {c.version_id: c for c in changes if c.version_id}
    versions = list(PlanVersion.objects.filter(application=application).order_by("number"))
    plans += [plan_of_version(v) for v in versions]
    rows = [VersionRow(plans[0], None, None)]
    for before, version, plan in zip(plans, versions, plans[1:], strict=False):
        rows.append(
            VersionRow(plan, by_version.get(version.pk), compare_plans(before, plan, application.round))
        )
    return list(reversed(rows)), changes


def queue(user: Visitor, *, status: str, round_code: str, cursor: str | None) -> KeysetPage[PlanChange]:
    """Open requests oldest first (the queue); decided ones newest first. Filtered by round."""
    qs: QuerySet[PlanChange] = plan_changes_visible_to(user).select_related(
        "application__round", "requested_by"
    )
    if round_code:
        qs = qs.filter(application__round__code=round_code)
    if status in PlanChangeStatus.values:
        qs = qs.filter(status=status)
    return keyset_page(qs, cursor=cursor, size=PAGE_SIZE, descending=status != PlanChangeStatus.OPEN)


def change_for_staff(user: Visitor, pk: int) -> PlanChange:
    change = (
        plan_changes_visible_to(user)
        .select_related(
            "application__round", "application__engagement", "requested_by", "decided_by", "version"
        )
        .filter(pk=pk)
        .first()
    )
    if change is None:
        raise Http404("plan change")
    return change
