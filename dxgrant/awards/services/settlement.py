"""The bank's results of an exported batch: entered per transfer, or imported from the bank's
result file (``zengin_results``: the file we exported, returned with a result code in byte 114 of
each data record), then the batch is settled.

Settling pays each transfer that went through (its instalment becomes paid, the application
moves accepted → paid through the workflow, the applicant is emailed) and puts each failed one's
instalment back to due for a later batch. Importing does not settle: finance reviews the results
and settles as after entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

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

from .. import policies, tasks, zengin, zengin_results
from ..models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch, Transfer, TransferResult
from . import batches


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
    _set_result(locked, actor=actor, result=result, code=code)
    locked.save(update_fields=["result", "result_code", "result_recorded_at", "result_recorded_by"])
    audit_record(
        actor=actor,
        action="awards.transfer_result_recorded",
        obj=locked,
        changes={"from": before, "to": result, **({"code": code} if code else {})},
    )
    return locked


# The fields of a data record that must be what we exported for the transfer it names.
_EXPORTED = {
    "bank_code": "bank_code",
    "branch_code": "branch_code",
    "account_type": "account_type",
    "account_number": "account_number",
    "amount": "amount_yen",
}
_LABELS = {spec.name: spec.label for spec in zengin.DATA_LAYOUT}


@dataclass(frozen=True)
class ImportSummary:
    """What a result file said: transfers paid, failed, not yet processed by the bank, and how
    many results this import changed (0 when the same file is imported again)."""

    ok: int
    failed: int
    unprocessed: int
    changed: int


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _check_header(header: zengin.Header, batch: PaymentBatch) -> None:
    expected = batches.operator_header(batch.transfer_date)
    for name in ("requester_code", "transfer_mmdd"):
        found, wanted = getattr(header, name), getattr(expected, name)
        if found != wanted:
            label = next(spec.label for spec in zengin.HEADER_LAYOUT if spec.name == name)
            raise _refuse(
                _(
                    "1行目 %(label)s: この支払バッチ（%(expected)s）と異なります（%(found)s）。別の支払バッチのファイルではありませんか。"
                )
                % {"label": label, "expected": wanted, "found": found}
            )


def _match(
    result_file: zengin_results.ResultFile, transfers: dict[int, Transfer]
) -> list[tuple[Transfer, zengin_results.ResultRecord]]:
    """Each record with the transfer of this batch it names; any record that does not match what
    we exported, and any transfer the file leaves out, refuses the whole file."""
    seen: dict[int, int] = {}
    matched = []
    for record in result_file.records:
        number = record.data.customer_code1
        transfer = transfers.get(number)
        if transfer is None:
            raise _refuse(
                _("%(line)d行目 %(label)s: 振込番号 %(number)d はこの支払バッチにありません。")
                % {"line": record.line, "label": _LABELS["customer_code1"], "number": number}
            )
        if number in seen:
            raise _refuse(
                _("%(line)d行目 %(label)s: 振込番号 %(number)d が%(first)d行目と重複しています。")
                % {
                    "line": record.line,
                    "label": _LABELS["customer_code1"],
                    "number": number,
                    "first": seen[number],
                }
            )
        seen[number] = record.line
        for field, column in _EXPORTED.items():
            found, wanted = getattr(record.data, field), getattr(transfer, column)
            if found != wanted:
                raise _refuse(
                    _("%(line)d行目 %(label)s: 出力した振込データ（%(expected)s）と異なります（%(found)s）。")
                    % {"line": record.line, "label": _LABELS[field], "expected": wanted, "found": found}
                )
        matched.append((transfer, record))
    missing = sorted(set(transfers) - set(seen))
    if missing:
        raise _refuse(
            _(
                "振込番号 %(numbers)s の結果がファイルにありません。この支払バッチの振込をすべて含むファイルを選んでください。"
            )
            % {"numbers": "、".join(str(n) for n in missing)}
        )
    return matched


def _set_result(transfer: Transfer, *, actor: User, result: str, code: str) -> None:
    transfer.result = result
    transfer.result_code = code
    transfer.result_recorded_at = timezone.now()
    transfer.result_recorded_by = actor


@transaction.atomic
def import_results(*, actor: User, batch: PaymentBatch, content: bytes, filename: str) -> ImportSummary:
    """Record the results in the bank's result file for `batch` (format: ``zengin_results``).

    Callers: as `record_result` (`can_record_results`: finance, an exported batch not settled).
    Refused, with the line and field named and nothing changed: a file that cannot be read; a
    header of another batch (振込依頼人コード, 振込指定日); a record whose 顧客コード1 is not a
    transfer of this batch, or repeats one; a bank, branch, account or amount not what we exported;
    a transfer of the batch missing from the file. Code 0 records "ok", any other "failed" with
    the code; a record the bank has not processed (space) leaves its transfer as it is. The same
    file twice changes nothing the second time; a later file corrects results until settled.
    Does not settle."""
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    policies.can_record_results(actor, locked).require()
    try:
        result_file = zengin_results.read_results(content)
    except zengin.ZenginError as exc:
        raise _refuse(str(exc)) from exc
    _check_header(result_file.header, locked)
    transfers = {t.pk: t for t in Transfer.objects.select_for_update().filter(batch=locked).order_by("pk")}
    changed: list[int] = []
    by_result: dict[tuple[str, str], list[int]] = {}
    for transfer, record in _match(result_file, transfers):
        if not record.processed:
            continue
        result = TransferResult.OK if record.ok else TransferResult.FAILED
        code = "" if record.ok else record.code
        if (transfer.result, transfer.result_code) != (result, code):
            changed.append(transfer.pk)
            by_result.setdefault((result, code), []).append(transfer.pk)
    # One UPDATE per result and code (a handful), not a CASE per row: 10,000 results in one file.
    recorded_at = timezone.now()
    for (outcome, reason), pks in by_result.items():
        Transfer.objects.filter(pk__in=pks).update(
            result=outcome, result_code=reason, result_recorded_at=recorded_at, result_recorded_by=actor
        )
    records = result_file.records
    summary = ImportSummary(
        ok=sum(1 for r in records if r.ok),
        failed=sum(1 for r in records if r.processed and not r.ok),
        unprocessed=sum(1 for r in records if not r.processed),
        changed=len(changed),
    )
    audit_record(
        actor=actor,
        action="awards.transfer_results_imported",
        obj=locked,
        changes={
            "filename": filename[:200],
            "sha256": hashlib.sha256(content).hexdigest(),
            "ok": summary.ok,
            "failed": summary.failed,
            "unprocessed": summary.unprocessed,
            "changed": changed,
        },
    )
    return summary


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
