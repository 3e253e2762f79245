"""Cancelling an award (交付決定取消) and the repayment of what was paid (返還).

The secretariat cancels with a reason: the application moves to cancelled through the
workflow, its notice's verification answers "cancelled" at once (`cancel_notice`), every
instalment not yet paid is withdrawn, and when anything was paid a repayment demand is made
(application → repayment_due). Finance then records repayments until the principal and the late
charge (awards/repayment_rules.py) are covered (→ repaid). Cancelled after the final amount
demanded what was paid above it, that demand stays and this one asks for the rest of what was
paid (`follows` names the first; docs/final-amount.md); the application is repaid when the last
open demand is.

Instalments in a payment batch: a batch not yet exported loses the instalment's transfer (its
count and total are reduced; an approved batch goes back to waiting for approval, so the second
person approves what will really be sent; a batch left empty is deleted). A transfer in an
exported batch whose results are not settled may still reach the company: cancelling is refused
until finance records the bank's result and settles the batch (a paid transfer is then demanded
back, a failed one withdrawn).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services import transitions
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import policies, repayment_rules, selectors, tasks
from ..models import (
    BatchStatus,
    Cancellation,
    Instalment,
    InstalmentStatus,
    Notice,
    NoticeKind,
    PaymentBatch,
    Repayment,
    RepaymentDemand,
    Transfer,
    TransferResult,
    WithdrawalReason,
)
from .cancelling import cancel_notice

UNPAID = (InstalmentStatus.PENDING, InstalmentStatus.DUE, InstalmentStatus.IN_BATCH)


# How many times cancelling reads the batches again when one was made meanwhile.
LOCK_ATTEMPTS = 3


class _BatchesMoved(Exception):
    """An instalment went into a batch between the plain read and the locks (see the package)."""


@transaction.atomic
def cancel_decision(*, actor: User, application: Application, reason: str) -> Cancellation:
    """Cancel the award of `application` with `reason` (the applicant reads it).

    Callers: the secretariat. Refused: no reason; an application not awarded (or already
    cancelled); a transfer of it in an exported batch whose results are not settled.

    Locks in the awards order (services/__init__.py): the batches holding its instalments'
    transfers, the application, its instalments; if a batch appeared meanwhile, again."""
    policies.can_cancel_decision(actor).require()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("交付決定を取り消す理由を入力してください。")})
    for _attempt in range(LOCK_ATTEMPTS):
        try:
            with transaction.atomic():
                return _cancel(actor, application, reason)
        except _BatchesMoved:
            continue
    raise ValidationError(_("支払バッチが同時に変更されています。しばらくしてからもう一度お試しください。"))


def _live_transfers(instalments: Iterable[Instalment | int]) -> QuerySet[Transfer]:
    """The transfers of these instalments that may still pay (not failed), in a batch."""
    return Transfer.objects.filter(
        instalment__in=instalments, instalment__status=InstalmentStatus.IN_BATCH
    ).exclude(result=TransferResult.FAILED)


def _cancel(actor: User, application: Application, reason: str) -> Cancellation:
    candidates = set(
        _live_transfers(Instalment.objects.filter(application_id=application.pk)).values_list(
            "batch_id", flat=True
        )
    )
    batches = {
        b.pk: b for b in PaymentBatch.objects.select_for_update().filter(pk__in=candidates).order_by("pk")
    }
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not workflow.LIFECYCLE.allows("cancel", locked.status):
        raise ValidationError(
            _("交付決定を取り消せるのは、採択後（交付通知・受諾・交付・実績報告中）の申請のみです。")
        )
    instalments = list(Instalment.objects.select_for_update().filter(application=locked).order_by("position"))
    live = list(
        _live_transfers([i for i in instalments if i.status == InstalmentStatus.IN_BATCH]).order_by("pk")
    )
    if {t.batch_id for t in live} - batches.keys():
        raise _BatchesMoved
    exported = sorted(
        {
            t.batch_id
            for t in live
            if batches[t.batch_id].status in (BatchStatus.EXPORTED, BatchStatus.SETTLED)
        }
    )
    if exported:
        raise ValidationError(
            _(
                "振込データを出力済みで、振込結果が確定していない振込があります（支払バッチ %(batches)s）。"
                "経理担当者が銀行の振込結果を登録してバッチを確定してから、取り消してください。"
            )
            % {"batches": ", ".join(str(pk) for pk in exported)}
        )
    for transfer in live:
        _remove_from_batch(actor, transfer, batches[transfer.batch_id])
    withdrawn = [i for i in instalments if i.status in UNPAID]
    Instalment.objects.filter(pk__in=[i.pk for i in withdrawn], status__in=UNPAID).update(
        status=InstalmentStatus.WITHDRAWN, withdrawn_reason=WithdrawalReason.CANCELLATION
    )
    paid = [i.amount_yen for i in instalments if i.status == InstalmentStatus.PAID]
    # Cancelled after the final amount demanded what was paid above it: that demand stays as it
    # is (its due date, its late charge, what was repaid under it), and this one asks for the rest.
    earlier = (
        RepaymentDemand.objects.select_for_update()
        .filter(application=locked, final_amount__isnull=False)
        .first()
    )
    already_demanded = earlier.principal_yen if earlier is not None else 0
    transitions.transition(locked, name="cancel", actor=actor, note=reason)
    cancellation = Cancellation.objects.create(
        application=locked,
        reason=reason,
        cancelled_by=actor,
        cancelled_at=timezone.now(),
        withdrawn_yen=sum(i.amount_yen for i in withdrawn),
    )
    notice = Notice.objects.filter(application=locked, kind=NoticeKind.AWARD).first()
    if notice is not None:
        cancel_notice(actor=actor, notice=notice, reason=reason)
    demand = None
    if sum(paid) > already_demanded:
        rules = locked.round.rules.awards
        figures = repayment_rules.demand(
            [sum(paid) - already_demanded],
            demanded_on=timezone.localdate(),
            repayment_days=rules.repayment_days,
        )
        demand = RepaymentDemand.objects.create(
            cancellation=cancellation,
            follows=earlier,
            application=locked,
            principal_yen=figures.principal_yen,
            demanded_on=figures.demanded_on,
            due_on=figures.due_on,
            late_charge_percent_per_year=rules.late_charge_percent_per_year,
        )
    if demand is not None or (earlier is not None and earlier.settled_on is None):
        transitions.transition(locked, name="demand_repayment", actor=actor)
    audit_record(
        actor=actor,
        action="awards.decision_cancelled",
        obj=cancellation,
        changes={
            "application": locked.pk,
            "reason": reason,
            "notice": notice.number if notice else None,
            "withdrawn_yen": cancellation.withdrawn_yen,
            "withdrawn_instalments": [i.code for i in withdrawn],
            "repayment_yen": demand.principal_yen if demand else 0,
            "due_on": demand.due_on.isoformat() if demand else None,
            "paid_yen": sum(paid),
            "final_amount_demand": earlier.pk if earlier else None,
            "final_amount_demand_yen": already_demanded,
        },
    )
    enqueue_on_commit(tasks.send_cancellation, cancellation.pk)
    application.status = locked.status
    return cancellation


def _remove_from_batch(actor: User, transfer: Transfer, batch: PaymentBatch) -> None:
    """Take a cancelled award's transfer out of a batch not yet exported (see the module)."""
    transfer.delete()
    batch.transfer_count = F("transfer_count") - 1
    batch.total_yen = F("total_yen") - transfer.amount_yen
    was = batch.status
    batch.status = BatchStatus.PREPARED
    batch.approved_by = None
    batch.approved_at = None
    batch.save(update_fields=["transfer_count", "total_yen", "status", "approved_by", "approved_at"])
    batch.refresh_from_db(fields=["transfer_count", "total_yen"])
    audit_record(
        actor=actor,
        action="awards.transfer_removed_on_cancellation",
        obj=batch,
        changes={"instalment": transfer.instalment_id, "amount_yen": transfer.amount_yen, "batch_was": was},
    )
    if batch.transfer_count == 0:
        batch.delete()


@transaction.atomic
def record_repayment(*, actor: User, demand: RepaymentDemand, amount_yen: int, paid_on: dt.date) -> Repayment:
    """Money paid back against `demand` on `paid_on`. When the repayments cover the principal
    and the late charge to that day, the demand is settled; when it was the last open demand of a
    cancelled award, the application → repaid (a final amount's demand of an award never
    cancelled leaves the application's state as it is).

    Callers: finance. Refused: a settled demand; an amount not positive, or more than the
    balance (overpayment); a date in the future or before the demand."""
    policies.can_record_repayment(actor).require()
    # The awards order: the application, then its demand (two demands of one cancelled award
    # settled at once must not both think the other is still open).
    application = Application.objects.select_for_update().get(pk=demand.application_id)
    locked = RepaymentDemand.objects.select_for_update().get(pk=demand.pk)
    if locked.settled_on is not None:
        raise ValidationError(_("この返還請求は完済済みです。"))
    if amount_yen <= 0:
        raise ValidationError({"amount_yen": _("返還額は1円以上で入力してください。")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("納付日に未来の日付は指定できません。")})
    if paid_on < locked.demanded_on:
        raise ValidationError(
            {
                "paid_on": _("納付日は請求日（%(date)s）以降の日付にしてください。")
                % {"date": locked.demanded_on}
            }
        )
    earlier = [repayment_rules.Payment(r.amount_yen, r.paid_on) for r in locked.repayments.all()]
    payments = [*earlier, repayment_rules.Payment(amount_yen, paid_on)]
    as_of = max(p.paid_on for p in payments)
    after = selectors.figures_of(locked, payments, as_of)
    if after.repaid_yen > after.owed_yen:
        balance = after.owed_yen - (after.repaid_yen - amount_yen)
        raise ValidationError(
            {
                "amount_yen": _(
                    "返還額が残額を超えています。%(date)s時点の残額（延滞金を含む）は%(balance)s円です。"
                )
                % {"date": as_of, "balance": f"{balance:,}"}
            }
        )
    repayment = Repayment.objects.create(
        demand=locked, amount_yen=amount_yen, paid_on=paid_on, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="awards.repayment_recorded",
        obj=repayment,
        changes={
            "demand": locked.pk,
            "amount_yen": amount_yen,
            "paid_on": paid_on.isoformat(),
            "charge_yen": after.charge_yen,
            "balance_yen": after.balance_yen,
        },
    )
    if after.settled:
        locked.settled_on = as_of
        locked.save(update_fields=["settled_on"])
        # The last open demand of a cancelled award settles the application (→ repaid); a final
        # amount's demand of an award never cancelled leaves it where it is.
        still_open = RepaymentDemand.objects.filter(application=application, settled_on__isnull=True)
        if application.status == workflow.REPAYMENT_DUE and not still_open.exists():
            transitions.transition(
                application,
                name="record_repayment",
                actor=actor,
                changes={"charge_yen": after.charge_yen},
            )
    demand.settled_on = locked.settled_on
    return repayment
