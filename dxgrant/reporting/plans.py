"""The plan an award is carried out against: the budget lines, milestones and KPI targets.

Before any plan change it is the application's last filed version (the plan the decision was
made on). Support reports read its milestones, the results report its budget lines, the KPI
reports its targets: all through `current_plan`, so that an approved plan change (a new plan
version) is what every later report is measured against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.applications.plan_rules import KPIS, SCHEDULE

from .plan_models import PlanVersion


@dataclass(frozen=True)
class Plan:
    # 0: the plan as decided (the last filed application version); n: the n-th approved change.
    version: int
    # Snapshot budget lines (applications/snapshot.py): category, item, vendor, quantity,
    # unit_price_yen, tax_rate_percent, amount_yen, eligible_amount_yen, ...
    budget_lines: list[dict[str, Any]]
    # [{"title": ..., "due": "YYYY-MM-DD"}], in date order.
    milestones: list[dict[str, Any]]
    # The plan's KPI section data (plan_rules: labour_productivity, cost, sales, free).
    kpis: dict[str, Any]

    @property
    def eligible_total_yen(self) -> int:
        return sum(int(line.get("eligible_amount_yen") or 0) for line in self.budget_lines)


def plan_of_snapshot(snapshot: Mapping[str, Any], version: int) -> Plan:
    plan = snapshot.get("plan") or {}
    return Plan(
        version=version,
        budget_lines=list((snapshot.get("budget") or {}).get("lines") or []),
        milestones=list(((plan.get(SCHEDULE) or {}).get("data") or {}).get("milestones") or []),
        kpis=dict((plan.get(KPIS) or {}).get("data") or {}),
    )


def decided_plan(application: Application) -> Plan:
    """The plan of the last filed version (one query). An application never filed has none."""
    filed = ApplicationVersion.objects.filter(application=application).order_by("-number").first()
    if filed is None:
        raise ValueError(f"application {application.pk} has no filed version")
    return plan_of_snapshot(filed.snapshot, 0)


def current_plan(application: Application) -> Plan:
    """The plan in force: the last approved plan change, or else the plan as decided."""
    approved = PlanVersion.objects.filter(application=application).order_by("-number").first()
    if approved is not None:
        return plan_of_version(approved)
    return decided_plan(application)


def plan_of_version(version: PlanVersion) -> Plan:
    return Plan(
        version=version.number,
        budget_lines=list(version.budget_lines),
        milestones=list(version.milestones),
        kpis=dict(version.kpis),
    )


def as_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan in the shape of an application snapshot's budget and plan sections, so that
    `applications.diff.compare_snapshots` shows two plans' difference as it shows two versions'."""
    return {
        "budget": {
            "lines": plan.budget_lines,
            "eligible_total_yen": plan.eligible_total_yen,
            "budget_total_yen": sum(int(line.get("amount_yen") or 0) for line in plan.budget_lines),
        },
        "plan": {
            SCHEDULE: {"text": "", "data": {"milestones": plan.milestones}},
            KPIS: {"text": "", "data": plan.kpis},
        },
    }
