"""Finance's payment pages (/staff/awards/payments/): batches, preparing one, a batch with its
approval, the 全銀 file and the bank's results. Finance only: every other role gets 403,
anonymous visitors are sent to sign in."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.awards.models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch, Transfer
from dxgrant.awards.services import instalments
from dxgrant.programs.models import Programme
from tests.awards.payments_builders import awarded, next_business_day
from tests.factories import UserFactory
from tests.factories.rounds import open_round

from .base import ANON, Page

NAMESPACES = {"payments"}
SEEN = "session; user"
BATCH = "the batch with its preparer and approver"
TRANSFERS = "its transfers with instalments and applications"
AUDIT = 3 if connection.vendor == "postgresql" else 2

PAGES: dict[str, Page] = {
    "payments:batches": Page(
        "/staff/awards/payments/",
        5,
        Role.FINANCE,
        why=f"{SEEN}; batches with their people (one keyset page); instalment totals by status; programme (header)",
    ),
    "payments:prepare": Page(
        "/staff/awards/payments/prepare/",
        4,
        Role.FINANCE,
        why=f"{SEEN}; due instalments with their applications; programme (header) "
        "(+1 when the payee accounts are wired: current_payees for the whole list)",
    ),
    "payments:batch": Page(
        "/staff/awards/payments/{payments_prepared}/",
        5,
        Role.FINANCE,
        why=f"{SEEN}; {BATCH}; {TRANSFERS}; programme (header)",
    ),
    "payments:approve": Page(
        "/staff/awards/payments/{payments_prepared}/approve/",
        5 + AUDIT,
        Role.FINANCE,
        method="post",
        why=f"{SEEN}; {BATCH}; the batch locked; update; the audit entry",
    ),
    "payments:download": Page(
        "/staff/awards/payments/{payments_approved}/download/",
        6 + AUDIT,
        Role.FINANCE,
        method="post",
        why=f"{SEEN}; {BATCH}; the batch locked; its transfers; update to exported; the audit entry",
    ),
    "payments:results": Page(
        "/staff/awards/payments/{payments_exported}/results/",
        5,
        Role.FINANCE,
        why=f"{SEEN}; {BATCH}; {TRANSFERS}; programme (header)",
    ),
    "payments:import_results": Page(
        "/staff/awards/payments/{payments_exported}/results/import/",
        6,
        Role.FINANCE,
        method="post",
        status=(400,),
        why=f"{SEEN}; the batch; no file chosen: the batch page again with the error ({BATCH}; "
        "its transfers; programme (header))",
    ),
    "payments:settle": Page(
        "/staff/awards/payments/{payments_exported}/settle/",
        5,
        Role.FINANCE,
        method="post",
        why=f"{SEEN}; {BATCH}; the batch locked; its transfers (one without a result: refused, back to the form)",
    ),
}

FINANCE_GET = {ANON: 302} | {r: 403 for r in Role.values} | {Role.FINANCE: 200}
FINANCE_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.FINANCE: 302}
# Posted without a file: finance gets the batch page with the error beside the field.
FINANCE_UPLOAD = {ANON: 302} | {r: 403 for r in Role.values} | {Role.FINANCE: 400}

EXPECTED: dict[str, dict[str, int]] = {
    "payments:batches": FINANCE_GET,
    "payments:prepare": FINANCE_GET,
    "payments:batch": FINANCE_GET,
    "payments:approve": FINANCE_POST,
    "payments:download": FINANCE_GET,
    "payments:results": FINANCE_GET,
    "payments:import_results": FINANCE_UPLOAD,
    "payments:settle": FINANCE_POST,
}


def _batch(status: str, instalment: Instalment, preparer, approver) -> PaymentBatch:
    approved = status != BatchStatus.PREPARED
    batch = PaymentBatch.objects.create(
        status=status,
        transfer_date=next_business_day(),
        transfer_count=1,
        total_yen=instalment.amount_yen,
        prepared_by=preparer,
        approved_by=approver if approved else None,
        approved_at=timezone.now() if approved else None,
        exported_at=timezone.now() if status == BatchStatus.EXPORTED else None,
    )
    Transfer.objects.create(
        batch=batch,
        instalment=instalment,
        amount_yen=instalment.amount_yen,
        bank_code="0005",
        branch_code="001",
        account_type="1",
        account_number="1234567",
        holder_kana="ｶ)ﾃｽﾄｾｲｻｸｼﾖ",
    )
    Instalment.objects.filter(pk=instalment.pk).update(status=InstalmentStatus.IN_BATCH)
    return batch


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    preparer = UserFactory(role=Role.FINANCE)
    approver = UserFactory(role=Role.FINANCE)
    round_obj = open_round(programme, "dx-payments-pages", closed=True)
    made = []
    for amount in (1_000_000, 2_000_000, 3_000_000):
        application = awarded(programme, amount_yen=amount, by=preparer, round_obj=round_obj)
        made.extend(instalments.create_instalments(application))
    return {
        "payments_prepared": _batch(BatchStatus.PREPARED, made[0], preparer, approver).pk,
        "payments_approved": _batch(BatchStatus.APPROVED, made[1], preparer, approver).pk,
        "payments_exported": _batch(BatchStatus.EXPORTED, made[2], preparer, approver).pk,
    }
