"""The bank's results of an exported batch: entered per transfer, then the batch is settled.

Settling pays each transfer that went through (its instalment becomes paid, the application
moves accepted → paid through the workflow, the applicant is emailed) and puts each failed one's
instalment back to due for a later batch. Only entry: we know no bank-independent standard for
the 総合振込 result file (banks return their own layouts), so there is no import.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services import transitions
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import policies, tasks
from ..models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch, Transfer, TransferResult


@transaction.atomic
def record_result(*, actor: User, transfer: Transfer, result: str, code: str = "") -> Transfer:
    """The bank's answer for one transfer: "ok", or "failed" with the bank's reason code.
    Can be corrected until the batch is settled. Refused: a batch not exported, or settled."""
    batch = PaymentBatch.objects.select_for_update().get(pk=transfer.batch_id)
    policies.can_record_results(actor, batch).require()
    if result not in (TransferResult.OK, TransferResult.FAILED):
        raise ValidationError({"result": _("振込結果を選んでください。")})
    code = code.strip()
    if result == TransferResult.FAILED and not code:
        raise ValidationError({"code": _("振込不能の場合は、銀行の不能事由コードを入力してください。")})
    if result == TransferResult.OK:
        code = ""
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    before = locked.result
    locked.result = result
    locked.result_code = code
    locked.result_recorded_at = timezone.now()
    locked.result_recorded_by = actor
    locked.save(update_fields=["result", "result_code", "result_recorded_at", "result_recorded_by"])
    audit_record(
        actor=actor,
        action="awards.transfer_result_recorded",
        obj=locked,
        changes={"from": before, "to": result, **({"code": code} if code else {})},
    )
    return locked


@transaction.atomic
def settle_batch(*, actor: User, batch: PaymentBatch) -> PaymentBatch:
    """Close the batch once every transfer has its result, paying the successful ones.

    Paying twice is impossible: the batch moves exported → settled under a row lock (a second
    call is refused), and each instalment moves in_batch → paid by a conditional update.
    Locks in the awards order (services/__init__.py): the batch, its applications, then their
    instalments."""
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    policies.can_record_results(actor, locked).require()
    transfers = list(locked.transfers.select_related("instalment").order_by("pk"))
    missing = [t for t in transfers if t.result == TransferResult.PENDING]
    if missing:
        raise ValidationError(
            _("振込結果が未登録の振込が%(count)d件あります。すべて登録してから確定してください。")
            % {"count": len(missing)}
        )
    applications = {
        a.pk: a
        for a in Application.objects.select_for_update()
        .filter(pk__in={t.instalment.application_id for t in transfers})
        .order_by("pk")
    }
    paid = failed = 0
    for transfer in transfers:
        instalment = transfer.instalment
        if transfer.result == TransferResult.FAILED:
            Instalment.objects.filter(pk=instalment.pk, status=InstalmentStatus.IN_BATCH).update(
                status=InstalmentStatus.DUE
            )
            failed += 1
            continue
        moved = Instalment.objects.filter(pk=instalment.pk, status=InstalmentStatus.IN_BATCH).update(
            status=InstalmentStatus.PAID, paid_on=locked.transfer_date
        )
        if moved != 1:
            raise ValidationError(_("この分割交付は既に支払済みです。"))
        _mark_application_paid(actor, applications[instalment.application_id])
        enqueue_on_commit(tasks.send_instalment_paid, instalment.pk)
        paid += 1
    locked.status = BatchStatus.SETTLED
    locked.settled_at = timezone.now()
    locked.save(update_fields=["status", "settled_at"])
    audit_record(
        actor=actor, action="awards.batch_settled", obj=locked, changes={"paid": paid, "failed": failed}
    )
    batch.status = locked.status
    return locked


def _mark_application_paid(actor: User, application: Application) -> None:
    """The first payment moves the application (locked by the caller) accepted → paid; later
    instalments (after the results report, say) find it further on and leave its state alone."""
    if application.status == workflow.ACCEPTED:
        transitions.transition(application, name="pay", actor=actor)
