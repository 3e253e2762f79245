"""Who may do what with the decision. The secretariat runs the committee (budget, overrides,
meeting, decision, publication, exports); auditors read the aggregation and the committee's
figures; nobody else sees a decision before it is published."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.core.decisions import Decision
from dxgrant.programs.models import Round

from .models import RoundDecision


def can_read_aggregation(user: Visitor) -> Decision:
    return can_read_as_staff(user)


def can_run_committee(user: Visitor) -> Decision:
    return can_act_as_secretariat(user)


def can_change_round(user: Visitor, round_obj: Round, decision: RoundDecision | None) -> Decision:
    """Budget, overrides and meetings change the ranking: only before the round is decided."""
    allowed = can_run_committee(user)
    if not allowed:
        return allowed
    if decision is not None:
        return Decision.deny(_("この公募回は交付決定済みのため、変更できません。"))
    return Decision.allow()


def can_publish(user: Visitor, decision: RoundDecision | None) -> Decision:
    allowed = can_run_committee(user)
    if not allowed:
        return allowed
    if decision is None:
        return Decision.deny(_("交付決定を記録してから公表してください。"))
    return Decision.allow()
