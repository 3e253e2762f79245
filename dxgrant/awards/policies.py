"""Who may do what after the decision. Every `can_*` returns a Decision.

Acceptance and the payee account belong to the applicant: their people only, never the advisor
and never staff (refused here and in the services). The secretariat alone overrides a holder
that is not the company, and acknowledges a change of account made after acceptance.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import Side, can_act_as_applicant, side_of
from dxgrant.core.decisions import Decision

# The states in which the applicant registers or changes the account the grant is paid to.
PAYEE_STATES = frozenset({workflow.NOTIFIED, workflow.ACCEPTED, workflow.PAID, workflow.REPORTING})
# After acceptance a change of account needs a code and the secretariat's acknowledgement.
AFTER_ACCEPTANCE = PAYEE_STATES - {workflow.NOTIFIED}


def payee_state(application: Application) -> Decision:
    if application.status in PAYEE_STATES:
        return Decision.allow()
    return Decision.deny(_("振込先口座は、交付決定の通知を受けた後に登録できます。"))


def can_register_payee(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """Who registers and changes the account: the applicant's people only (the state is
    `payee_state`, a refusal of the input rather than of the person)."""
    if can_act_as_applicant(user, application, side or side_of(user, application)):
        return Decision.allow()
    return Decision.deny(_("振込先口座の登録と変更は、申請者ご本人のみが行えます。"))


def acceptance_state(application: Application) -> Decision:
    if application.status == workflow.NOTIFIED:
        return Decision.allow()
    if application.status in AFTER_ACCEPTANCE:
        return Decision.deny(_("交付条件はすでに受諾されています。"))
    return Decision.deny(_("交付決定の通知を受けた申請だけが、交付条件を受諾できます。"))


def can_accept(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """Who accepts the conditions: the applicant's people only (the state is `acceptance_state`,
    the period the service's refusal, with its date)."""
    if can_act_as_applicant(user, application, side or side_of(user, application)):
        return Decision.allow()
    return Decision.deny(_("交付条件の受諾は、申請者ご本人のみが行えます。"))


def can_manage_payees(user: Visitor) -> Decision:
    """Overriding a holder mismatch, acknowledging a change: the secretariat."""
    return can_act_as_secretariat(user)


def refuse_unless(decision: Decision) -> None:
    """A state's refusal as a ValidationError (the person may act, not now)."""
    if not decision:
        raise ValidationError(decision.reason)
