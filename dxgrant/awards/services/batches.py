"""Payment batches: finance prepares one from the instalments that are due, a second finance
person approves it (four eyes), and only then is the 全銀 総合振込 file written from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record
from dxgrant.japan import banks
from dxgrant.japan.business_days import is_business_day
from dxgrant.japan.kana import to_zengin

from .. import policies, selectors, zengin
from ..models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch, Transfer


@dataclass(frozen=True)
class PayeeSnapshot:
    """The payee account as a transfer carries it: codes and the holder in 全銀 half-width kana."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder_kana: str


def _payee_snapshots(application_ids: Collection[int]) -> dict[int, PayeeSnapshot]:
    """The payee account ready for payment of each application that has one (the others are
    not paid yet), in one read for a whole list. The ONE place payments read payees: the current
    account, unless its holder does not match without the secretariat's override, or it was
    changed after acceptance and the secretariat has not yet seen the change."""
    return {
        application_id: PayeeSnapshot(
            bank_code=account.bank_code,
            branch_code=account.branch_code,
            account_type=account.account_type,
            account_number=account.account_number,
            holder_kana=account.holder_kana,
        )
        for application_id, account in selectors.current_payees(application_ids).items()
        if selectors.payee_ready_for_payment(account)
    }


@dataclass(frozen=True)
class Readiness:
    """A due instalment and whether it can be paid now: its payee, or why not."""

    instalment: Instalment
    payee: PayeeSnapshot | None
    refusal: str | None

    @property
    def ready(self) -> bool:
        return self.payee is not None and self.refusal is None


def readiness(due: Sequence[Instalment]) -> list[Readiness]:
    """Each due instalment with its payee snapshot or the reason it cannot be paid yet."""
    payees = _payee_snapshots([instalment.application_id for instalment in due])
    rows = []
    for instalment in due:
        snapshot = payees.get(instalment.application_id)
        if snapshot is None:
            rows.append(Readiness(instalment, None, _("振込先口座が確認されていません。")))
        else:
            rows.append(Readiness(instalment, snapshot, snapshot_refusal(snapshot)))
    return rows


def _kana_name(full_width_kana: str | None) -> str:
    """A bank's or branch's name for the file (informative only: banks route by code)."""
    if not full_width_kana:
        return ""
    try:
        name = to_zengin(full_width_kana)
    except ValueError:
        return ""
    return name.encode(zengin.ENCODING)[:15].decode(zengin.ENCODING, errors="ignore").strip(" ")


def snapshot_refusal(snapshot: PayeeSnapshot) -> str | None:
    """Why this payee cannot go into a transfer file (the field named), or None."""
    try:
        zengin.encode_record(_data(snapshot, amount=1, customer_code=0))
    except zengin.ZenginError as exc:
        return str(exc)
    if snapshot.account_type not in zengin.PAYEE_ACCOUNT_TYPES:
        return _("預金種目が全銀形式の値ではありません。")
    return None


def _data(snapshot: PayeeSnapshot, *, amount: int, customer_code: int) -> zengin.Data:
    bank = banks.get_bank(snapshot.bank_code) if len(snapshot.bank_code) == 4 else None
    branch = (
        banks.get_branch(snapshot.bank_code, snapshot.branch_code)
        if bank is not None and len(snapshot.branch_code) == 3
        else None
    )
    return zengin.Data(
        bank_code=snapshot.bank_code,
        bank_name=_kana_name(bank.kana if bank else None),
        branch_code=snapshot.branch_code,
        branch_name=_kana_name(branch.kana if branch else None),
        account_type=snapshot.account_type,
        account_number=snapshot.account_number,
        payee_name=snapshot.holder_kana,
        amount=amount,
        customer_code1=customer_code,
    )


def check_transfer_date(transfer_date: dt.date) -> None:
    """A bank business day, after today (banks take the file at least a day ahead)."""
    if transfer_date <= timezone.localdate():
        raise ValidationError({"transfer_date": _("振込指定日は明日以降の日付にしてください。")})
    if not is_business_day(transfer_date):
        raise ValidationError(
            {"transfer_date": _("振込指定日は銀行の営業日にしてください（土日祝日・年末年始は不可）。")}
        )


@transaction.atomic
def prepare_batch(*, actor: User, transfer_date: dt.date) -> PaymentBatch:
    """A batch of every due instalment whose payee account is ready, at `transfer_date`.

    Callers: finance. Refused: a transfer date that is not a future business day; nothing due
    with a ready payee. The due instalments are locked: two preparers at once never put one
    instalment in two batches (the second waits, then finds them in the first's batch).
    Instalments whose payee is missing or not writable in 全銀 characters stay due.

    Locks in the awards order (services/__init__.py): the new batch is nobody else's; the
    applications with something due (read first without a lock), then their due instalments,
    read again under the lock (one withdrawn meanwhile by a cancellation is left out; one due
    since the first read waits for the next batch).
    """
    policies.can_act_as_finance(actor).require()
    check_transfer_date(transfer_date)
    due_of = set(
        Instalment.objects.filter(status=InstalmentStatus.DUE).values_list("application_id", flat=True)
    )
    applications = list(
        Application.objects.select_for_update()
        .filter(pk__in=due_of)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    due = list(
        Instalment.objects.select_for_update(of=("self",))
        .filter(status=InstalmentStatus.DUE, application_id__in=applications)
        .select_related("application")
        .order_by("pk")
    )
    chosen = [(row.instalment, row.payee) for row in readiness(due) if row.ready and row.payee is not None]
    if not chosen:
        raise ValidationError(_("振込先口座が確認済みで支払可能な分割交付がありません。"))
    batch = PaymentBatch.objects.create(
        transfer_date=transfer_date,
        transfer_count=len(chosen),
        total_yen=sum(instalment.amount_yen for instalment, _snapshot in chosen),
        prepared_by=actor,
    )
    Transfer.objects.bulk_create(
        [
            Transfer(
                batch=batch,
                instalment=instalment,
                amount_yen=instalment.amount_yen,
                bank_code=snapshot.bank_code,
                branch_code=snapshot.branch_code,
                bank_name_kana=_data(snapshot, amount=1, customer_code=0).bank_name,
                branch_name_kana=_data(snapshot, amount=1, customer_code=0).branch_name,
                account_type=snapshot.account_type,
                account_number=snapshot.account_number,
                holder_kana=snapshot.holder_kana,
            )
            for instalment, snapshot in chosen
        ]
    )
    moved = Instalment.objects.filter(
        pk__in=[instalment.pk for instalment, _snapshot in chosen], status=InstalmentStatus.DUE
    ).update(status=InstalmentStatus.IN_BATCH)
    if moved != len(chosen):
        raise ValidationError(_("他の担当者が同時に支払バッチを作成しました。もう一度お試しください。"))
    audit_record(
        actor=actor,
        action="awards.batch_prepared",
        obj=batch,
        changes={
            "transfer_date": transfer_date.isoformat(),
            "transfers": batch.transfer_count,
            "total_yen": batch.total_yen,
            "left_due": len(due) - len(chosen),
        },
    )
    return batch


@transaction.atomic
def approve_batch(*, actor: User, batch: PaymentBatch) -> PaymentBatch:
    """The second finance person's approval. Refused for the preparer (four eyes; also a
    database check) and for a batch no longer waiting: two approvals at once approve once.
    Locks the batch only (the awards order: services/__init__.py)."""
    policies.can_act_as_finance(actor).require()
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    policies.can_approve_batch(actor, locked).require()
    locked.status = BatchStatus.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor, action="awards.batch_approved", obj=locked, changes={"total_yen": locked.total_yen}
    )
    return locked


def operator_header(transfer_date: dt.date) -> zengin.Header:
    """The association's account (settings DXGRANT_TRANSFER_*), the 依頼人 of every file."""
    return zengin.Header(
        requester_code=settings.DXGRANT_TRANSFER_REQUESTER_CODE,
        requester_name=settings.DXGRANT_TRANSFER_REQUESTER_NAME,
        transfer_mmdd=zengin.mmdd(transfer_date.month, transfer_date.day),
        bank_code=settings.DXGRANT_TRANSFER_BANK_CODE,
        bank_name=settings.DXGRANT_TRANSFER_BANK_NAME,
        branch_code=settings.DXGRANT_TRANSFER_BRANCH_CODE,
        branch_name=settings.DXGRANT_TRANSFER_BRANCH_NAME,
        account_type=settings.DXGRANT_TRANSFER_ACCOUNT_TYPE,
        account_number=settings.DXGRANT_TRANSFER_ACCOUNT_NUMBER,
    )


def transfer_file(batch: PaymentBatch) -> bytes:
    """The batch's 全銀 総合振込 file, written from the transfers' snapshots (顧客コード1 is the
    transfer's number, so the bank's results can be matched back)."""
    records = [
        zengin.Data(
            bank_code=t.bank_code,
            bank_name=t.bank_name_kana,
            branch_code=t.branch_code,
            branch_name=t.branch_name_kana,
            account_type=t.account_type,
            account_number=t.account_number,
            payee_name=t.holder_kana,
            amount=t.amount_yen,
            customer_code1=t.pk,
        )
        for t in batch.transfers.order_by("pk")
    ]
    return zengin.write(zengin.build(operator_header(batch.transfer_date), records))


@transaction.atomic
def export_batch(*, actor: User | None, batch: PaymentBatch) -> bytes:
    """The file for the bank. Only an approved batch (or one already exported, downloaded
    again); each download is in the audit log. Refused with the field named if a value cannot
    be written in 全銀 characters.

    Callers: finance (the download button), or the server's operator (`dxgrant
    export-transfers`, actor None, recorded as the system): the approval rule holds for both.
    """
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if actor is not None:
        policies.can_export_batch(actor, locked).require()
    elif locked.status == BatchStatus.PREPARED:
        raise ValidationError(_("承認されていない支払バッチの振込データは出力できません。"))
    try:
        content = transfer_file(locked)
    except zengin.ZenginError as exc:
        raise ValidationError(str(exc)) from exc
    first = locked.status == BatchStatus.APPROVED
    if first:
        locked.status = BatchStatus.EXPORTED
        locked.exported_at = timezone.now()
        locked.save(update_fields=["status", "exported_at"])
    audit_record(
        actor=actor,
        action="awards.batch_exported" if first else "awards.batch_downloaded_again",
        obj=locked,
        changes={"bytes": len(content), "transfers": locked.transfer_count, "total_yen": locked.total_yen},
    )
    batch.status = locked.status
    return content
