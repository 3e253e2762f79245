"""Plan changes (計画変更): the applicant requests, the secretariat approves or refuses.

Approval stores the new plan whole as version n+1, which `reporting.plans.current_plan` returns
from then on. The decided award amount is never touched here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import plan_change_rules as rules
from .. import plan_policies as policies
from .. import plan_tasks
from ..plan_models import PlanChange, PlanChangeStatus, PlanVersion
from ..plans import Plan, current_plan

REASONS_MAX = 4000


def _refuse(problems: Sequence[rules.Problem]) -> None:
    if not problems:
        return
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(problem.message)
    raise ValidationError(errors)


def _amounts(plan: Plan) -> list[int]:
    return [int(line.get("eligible_amount_yen") or 0) for line in plan.budget_lines]


def line_label(line: Mapping[str, Any]) -> str:
    return str(line.get("item") or line.get("category") or "")


@transaction.atomic
def request_change(
    *,
    actor: User,
    application: Application,
    amounts: Sequence[int],
    milestones: Sequence[Mapping[str, Any]],
    reasons: str,
) -> PlanChange:
    """Request a change of the plan in force: the budget lines' new eligible amounts (in the
    plan's order; money moves between existing lines, a line may go to zero, no line is added)
    and the milestones as they would be (title, due date inside the programme period).

    Callers: the applicant's people only (PermissionDenied for the advisor and everyone else).
    Refused (ValidationError, nothing saved): outside implementation (accepted or paid) or after
    the last day (`plan_change_closes_days_before_end` before the period ends); another request
    still open; no reasons; nothing changed; a total that grows; increases over
    `plan_change_max_shift_percent` % of the eligible total; a milestone without a title or
    outside the programme period. Each line's problem names the line.
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    policies.can_request_plan_change(actor, locked).require()
    state = policies.plan_change_state(locked, timezone.localdate())
    if not state:
        raise ValidationError(state.reason)
    if PlanChange.objects.filter(application=locked, status=PlanChangeStatus.OPEN).exists():
        raise ValidationError(
            _("審査中の計画変更があります。事務局の決定を待ってから、次の変更を申請してください。")
        )
    reasons = (reasons or "").strip()
    problems: list[rules.Problem] = []
    if not reasons:
        problems.append(rules.Problem("reasons", _("変更の理由を入力してください。")))
    elif len(reasons) > REASONS_MAX:
        problems.append(rules.Problem("reasons", _("変更の理由は4000文字以内で入力してください。")))
    plan = current_plan(locked)
    round_obj = locked.round
    problems += rules.budget_problems(
        _amounts(plan),
        list(amounts),
        [line_label(line) for line in plan.budget_lines],
        max_shift_percent=round_obj.rules.reporting.plan_change_max_shift_percent,
    )
    problems += rules.milestone_problems(
        milestones, starts=round_obj.programme_period_starts, ends=round_obj.programme_period_ends
    )
    _refuse(problems)
    new_milestones = rules.milestones_in_order(milestones)
    if list(amounts) == _amounts(plan) and new_milestones == rules.milestones_in_order(plan.milestones):
        raise ValidationError(_("計画から変わっている点がありません。変更する金額か節目を入力してください。"))
    change = PlanChange.objects.create(
        application=locked,
        base_version=plan.version,
        amounts=[int(a) for a in amounts],
        milestones=new_milestones,
        reasons=reasons,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="reporting.plan_change_requested",
        obj=change,
        changes={"base_version": plan.version, "amounts": change.amounts, "milestones": new_milestones},
    )
    return change


def _lock(change: PlanChange) -> tuple[Application, PlanChange]:
    application = (
        Application.objects.select_for_update().select_related("round").get(pk=change.application_id)
    )
    locked = PlanChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != PlanChangeStatus.OPEN:
        raise ValidationError(_("この計画変更はすでに決定されています。"), code="decided")
    return application, locked


@transaction.atomic
def approve_change(
    *, actor: User, change: PlanChange, reason: str = "", now: dt.datetime | None = None
) -> PlanChange:
    """Approve an open request: the plan in force with the request's amounts and milestones
    becomes version n+1, stored whole (lines, milestones, KPIs). The applicant's people and the
    lead advisor are told.

    Callers: the secretariat. Refused (ValidationError): a request already decided (a second
    click approves nothing), a plan in force other than the one the request was made against."""
    policies.can_decide_plan_change(actor).require()
    application, locked = _lock(change)
    plan = current_plan(application)
    if plan.version != locked.base_version:
        raise ValidationError(
            _("計画がこの申請の後に変更されています。申請者に改めて申請してもらってください。")
        )
    version = PlanVersion.objects.create(
        application=application,
        number=plan.version + 1,
        budget_lines=rules.with_amounts(plan.budget_lines, locked.amounts),
        milestones=locked.milestones,
        kpis=plan.kpis,
    )
    locked.status = PlanChangeStatus.APPROVED
    locked.decided_by = actor
    locked.decided_at = now or timezone.now()
    locked.decision_reason = (reason or "").strip()
    locked.version = version
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "version"])
    audit_record(
        actor=actor,
        action="reporting.plan_change_approved",
        obj=locked,
        changes={"version": version.number, "reason": locked.decision_reason},
    )
    enqueue_on_commit(plan_tasks.send_plan_change_decided, locked.pk)
    return locked


@transaction.atomic
def refuse_change(*, actor: User, change: PlanChange, reason: str) -> PlanChange:
    """Refuse an open request, with the reason (required). The plan in force stays.

    Callers: the secretariat. Refused (ValidationError): no reason; a request already decided."""
    policies.can_decide_plan_change(actor).require()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("不承認の理由を入力してください。")]})
    _application, locked = _lock(change)
    locked.status = PlanChangeStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action="reporting.plan_change_refused", obj=locked, changes={"reason": reason})
    enqueue_on_commit(plan_tasks.send_plan_change_decided, locked.pk)
    return locked
