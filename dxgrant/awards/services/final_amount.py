"""The final amount of an award (額の確定), determined when the secretariat approves the results
report, and what it does to the payments (awards/final_amount_rules.py; docs/final-amount.md).

The final amount is the round's amount rule applied to the eligible actual cost, never above the
decided amount. Unpaid instalments are reduced so that what was paid and what remains add up to
it (those due after the results report take the reduction first, from the last; one reduced to
nothing is withdrawn; one due after the results report with an amount left becomes due now). If
more was paid than the final amount, the unpaid instalments are withdrawn and the difference is
demanded back through the repayment machinery of cancellation (`RepaymentDemand` with
`final_amount` set). The award is not cancelled: the application's state is left as it is (the
results report's approval moves it on), and its notice stays valid.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import final_amount_rules, policies, repayment_rules, tasks
from ..final_models import FinalAmount
from ..models import (
    Instalment,
    InstalmentStatus,
    RepaymentDemand,
    Transfer,
    TransferResult,
    WithdrawalReason,
)

# The states of a live award whose final amount may be determined: accepted (nothing paid yet),
# paid (first instalment paid), reporting (the results report filed) and completed.
DETERMINABLE = (workflow.ACCEPTED, workflow.PAID, workflow.REPORTING, workflow.COMPLETED)


@transaction.atomic
def determine(*, application: Application, eligible_actual_yen: int, actor: User) -> FinalAmount:
    """Determine the final amount of `application` from its eligible actual cost (tax excluded).

    Callers: the secretariat (on approving the results report, in the same transaction).
    Refused: a cost not a whole number of yen at or above 0; an application whose award is not
    live (not accepted, or cancelled); a second determination; an instalment in a payment batch
    (a transfer prepared, approved or exported and not settled: the bank's result must be
    recorded and the batch settled first, as for cancelling). Refusals change nothing.

    Locks in the awards order (services/__init__.py): the application, then its instalments (no
    batch: an award with an instalment in a batch is refused)."""
    policies.can_determine_final_amount(actor).require()
    if (
        isinstance(eligible_actual_yen, bool)
        or not isinstance(eligible_actual_yen, int)
        or eligible_actual_yen < 0
    ):
        raise ValidationError(
            {"eligible_actual_yen": _("補助対象経費の実績額は、0円以上の整数（円）で入力してください。")}
        )
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in DETERMINABLE:
        raise ValidationError(_("額を確定できるのは、交付決定を受諾した（取り消されていない）申請のみです。"))
    if FinalAmount.objects.filter(application=locked).exists():
        raise ValidationError(_("この申請の額は確定済みです。確定額は一度しか決められません。"))
    decision = getattr(locked, "decision", None)
    if decision is None or decision.outcome != "awarded":
        raise ValidationError(_("交付決定額が決まっていないため、額を確定できません。"))
    instalments = list(Instalment.objects.select_for_update().filter(application=locked).order_by("position"))
    in_batch = [i.pk for i in instalments if i.status == InstalmentStatus.IN_BATCH]
    if in_batch:
        batches = sorted(
            set(
                Transfer.objects.filter(instalment__in=in_batch)
                .exclude(result=TransferResult.FAILED)
                .values_list("batch_id", flat=True)
            )
        )
        raise ValidationError(
            _(
                "支払手続中の分割交付があります（支払バッチ %(batches)s）。"
                "経理担当者が振込結果を登録してバッチを確定するか、バッチから外してから、額を確定してください。"
            )
            % {"batches": ", ".join(str(pk) for pk in batches)}
        )
    sheet = final_amount_rules.final_amount(
        locked.round.rules.amount_rule,
        decided_yen=decision.amount_yen,
        eligible_actual_yen=eligible_actual_yen,
        score=decision.score,
    )
    settlement = final_amount_rules.settle(
        [final_amount_rules.Part(i.pk, i.due_after, i.amount_yen, i.status) for i in instalments],
        sheet.final_yen,
    )
    today = timezone.localdate()
    final = FinalAmount.objects.create(
        application=locked,
        decided_yen=decision.amount_yen,
        eligible_actual_yen=eligible_actual_yen,
        final_yen=sheet.final_yen,
        paid_before_yen=settlement.paid_yen,
        determined_on=today,
        determined_by=actor,
        sheet=sheet.as_json(),
    )
    before = {i.pk: (i.amount_yen, i.status) for i in instalments}
    unpaid = (InstalmentStatus.PENDING, InstalmentStatus.DUE)
    for instalment in instalments:
        changes: dict[str, object] = {}
        if instalment.pk in settlement.amounts and settlement.amounts[instalment.pk] != instalment.amount_yen:
            changes["amount_yen"] = settlement.amounts[instalment.pk]
        if instalment.pk in settlement.withdrawn:
            changes["status"] = InstalmentStatus.WITHDRAWN
            changes["withdrawn_reason"] = WithdrawalReason.FINAL_AMOUNT
        elif instalment.pk in settlement.made_due:
            changes["status"] = InstalmentStatus.DUE
        if changes:
            Instalment.objects.filter(pk=instalment.pk, status__in=unpaid).update(**changes)
            for name, value in changes.items():
                setattr(instalment, name, value)
    demand = None
    if settlement.repayment_yen:
        rules = locked.round.rules.awards
        figures = repayment_rules.demand(
            [settlement.repayment_yen], demanded_on=today, repayment_days=rules.repayment_days
        )
        demand = RepaymentDemand.objects.create(
            final_amount=final,
            application=locked,
            principal_yen=figures.principal_yen,
            demanded_on=figures.demanded_on,
            due_on=figures.due_on,
            late_charge_percent_per_year=rules.late_charge_percent_per_year,
        )
    audit_record(
        actor=actor,
        action="awards.final_amount_determined",
        obj=final,
        changes={
            "application": locked.pk,
            "decided_yen": final.decided_yen,
            "eligible_actual_yen": eligible_actual_yen,
            "final_yen": final.final_yen,
            "paid_before_yen": final.paid_before_yen,
            "instalments": [
                [i.code, *before[i.pk], i.amount_yen, i.status]
                for i in instalments
                if before[i.pk] != (i.amount_yen, i.status)
            ],
            "repayment_yen": demand.principal_yen if demand else 0,
            "due_on": demand.due_on.isoformat() if demand else None,
        },
    )
    enqueue_on_commit(tasks.send_final_amount, final.pk)
    return final
