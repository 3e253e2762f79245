"""Who may request and decide plan changes, and when a change can be requested."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import Side, can_act_as_applicant, side_of
from dxgrant.core.decisions import Decision

from .plan_change_rules import last_request_day
from .plan_models import PlanChange

# Implementation: from acceptance until the programme period ends (results not yet filed).
IMPLEMENTATION = frozenset({workflow.ACCEPTED, workflow.PAID})


def can_request_plan_change(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """The applicant's people only: the advisor may help, the act is the applicant's."""
    if can_act_as_applicant(user, application, side or side_of(user, application)):
        return Decision.allow()
    return Decision.deny(_("計画変更の申請は、申請者ご本人のみが行えます。"))


def plan_change_state(application: Application, today: dt.date) -> Decision:
    """Whether a change can be requested now: during implementation, up to the round's last day."""
    if application.status not in IMPLEMENTATION:
        return Decision.deny(_("計画変更は、交付条件を受諾した後、事業の実施中にのみ申請できます。"))
    round_obj = application.round
    last_day = last_request_day(
        round_obj.programme_period_ends, round_obj.rules.reporting.plan_change_closes_days_before_end
    )
    if today > last_day:
        return Decision.deny(
            _("計画変更の申請期限（%(date)s）を過ぎています。事務局にご相談ください。")
            % {"date": last_day.isoformat()}
        )
    return Decision.allow()


def can_read_plan_changes(user: Visitor) -> Decision:
    """The secretariat's queue: staff readers (the secretariat and auditors)."""
    return can_read_as_staff(user)


def can_decide_plan_change(user: Visitor) -> Decision:
    return can_act_as_secretariat(user)


def plan_changes_visible_to(user: Visitor) -> QuerySet[PlanChange]:
    if can_read_as_staff(user):
        return PlanChange.objects.all()
    return PlanChange.objects.none()
