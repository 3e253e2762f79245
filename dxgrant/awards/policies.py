"""Who may do what with the records that follow a decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import Side, can_act_as_applicant, side_of
from dxgrant.core.decisions import Decision
from dxgrant.decisions.models import RoundDecision

from .models import BatchStatus, PaymentBatch

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


# --- payments ---


def is_finance(user: Visitor) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) == Role.FINANCE)


def can_act_as_finance(user: Visitor) -> Decision:
    """Payment batches, the transfer file and the bank's results: the association's finance staff."""
    if is_finance(user):
        return Decision.allow()
    return Decision.deny(_("この画面は経理担当者のみが利用できます。"))


def batches_visible_to(user: Visitor) -> QuerySet[PaymentBatch]:
    if is_finance(user):
        return PaymentBatch.objects.all()
    return PaymentBatch.objects.none()


def can_approve_batch(user: Visitor, batch: PaymentBatch) -> Decision:
    """Four eyes: a finance person other than the one who prepared the batch, while it waits."""
    finance = can_act_as_finance(user)
    if not finance:
        return finance
    if batch.status != BatchStatus.PREPARED:
        return Decision.deny(_("この支払バッチは承認待ちではありません。"))
    if batch.prepared_by_id == user.pk:
        return Decision.deny(
            _("支払バッチを作成した本人は承認できません。別の経理担当者が承認してください。")
        )
    return Decision.allow()


def can_export_batch(user: Visitor, batch: PaymentBatch) -> Decision:
    finance = can_act_as_finance(user)
    if not finance:
        return finance
    if batch.status == BatchStatus.PREPARED:
        return Decision.deny(_("承認されていない支払バッチの振込データは出力できません。"))
    return Decision.allow()


def can_record_results(user: Visitor, batch: PaymentBatch) -> Decision:
    finance = can_act_as_finance(user)
    if not finance:
        return finance
    if batch.status != BatchStatus.EXPORTED:
        return Decision.deny(_("振込結果は、振込データを出力した後、確定するまで登録できます。"))
    return Decision.allow()


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


# --- cancellation ---


def can_cancel_decision(user: Visitor) -> Decision:
    """Cancelling an award (交付決定取消): the secretariat."""
    return can_act_as_secretariat(user)


def can_read_repayments(user: Visitor) -> Decision:
    """The repayment demands: finance (who records repayments), the secretariat and auditors."""
    if is_finance(user) or can_read_as_staff(user):
        return Decision.allow()
    return Decision.deny(_("この画面は、経理担当者・事務局・監査担当者のみが利用できます。"))


def can_record_repayment(user: Visitor) -> Decision:
    """Recording money paid back: finance."""
    return can_act_as_finance(user)


# --- final amount ---


def can_determine_final_amount(user: Visitor) -> Decision:
    """The final amount (額の確定), on approving the results report: the secretariat."""
    return can_act_as_secretariat(user)
