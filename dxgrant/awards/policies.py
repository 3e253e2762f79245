"""Who may do what with the records that follow a decision."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.core.decisions import Decision
from dxgrant.decisions.models import RoundDecision

# --- notices ---


def can_read_notices(user: Visitor) -> Decision:
    """The staff's notices pages: the secretariat, finance and auditors read them."""
    return can_read_as_staff(user)


def can_issue_notices(user: Visitor, round_decision: RoundDecision | None) -> Decision:
    """Issuing a round's notices: the secretariat, once the round's results are published."""
    allowed = can_act_as_secretariat(user)
    if not allowed:
        return allowed
    if round_decision is None or round_decision.published_at is None:
        return Decision.deny(_("審査結果を公表してから通知書を発行してください。"))
    return Decision.allow()


def can_cancel_notice(user: Visitor) -> Decision:
    return can_act_as_secretariat(user)


# --- end notices ---
