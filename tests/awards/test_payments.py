"""Payments: instalments, batches with four eyes, the transfer file, results and paying once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import zengin
from dxgrant.awards.models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch, Transfer
from dxgrant.awards.services import batches, instalments, settlement
from dxgrant.integrity.models import AuditEntry
from tests.factories.applications import make_application
from tests.factories.rounds import open_round

from .payments_builders import accepted_with_instalments, awarded, next_business_day, payee, payees

__all__ = ["payees"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE, email="finance-1@example.jp")


@pytest.fixture
def approver(make_user):
    return make_user(Role.FINANCE, email="finance-2@example.jp")


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def _ready(programme, by, payees, amount_yen=1_500_000, **kwargs) -> Instalment:
    (instalment,) = accepted_with_instalments(programme, amount_yen=amount_yen, by=by, **kwargs)
    payees[instalment.application_id] = payee()
    return instalment


def _exported(programme, finance, approver, payees, count=2) -> PaymentBatch:
    for n in range(count):
        _ready(programme, finance, payees, amount_yen=1_000_000 + n)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    batches.approve_batch(actor=approver, batch=batch)
    batches.export_batch(actor=finance, batch=batch)
    return batch


# --- instalments ---


def test_an_accepted_award_gets_its_instalments_from_the_round(programme, secretariat):
    application = awarded(programme, amount_yen=1_000_001, by=secretariat)
    round_obj = application.round
    round_obj.award_rules = {
        "instalments": [
            {
                "code": "first",
                "label_ja": "概算払",
                "label_en": "Advance",
                "share_percent": 30,
                "due_after": "acceptance",
            },
            {
                "code": "rest",
                "label_ja": "精算払",
                "label_en": "Settlement",
                "share_percent": 70,
                "due_after": "results_report_approved",
            },
        ]
    }
    round_obj.save(update_fields=["award_rules"])
    created = instalments.create_instalments(Application.objects.get(pk=application.pk))
    assert [(i.code, i.amount_yen, i.status) for i in created] == [
        ("first", 300_000, InstalmentStatus.DUE),
        ("rest", 700_001, InstalmentStatus.PENDING),
    ]
    assert instalments.create_instalments(application) == created  # a second call changes nothing
    assert Instalment.objects.count() == 2
    assert AuditEntry.objects.filter(action="awards.instalments_created").count() == 1
    assert instalments.mark_due(application, trigger="results_report_approved") == 1
    assert instalments.mark_due(application, trigger="results_report_approved") == 0
    assert Instalment.objects.get(code="rest").status == InstalmentStatus.DUE


def test_the_default_round_pays_everything_after_acceptance(programme, secretariat):
    (instalment,) = accepted_with_instalments(programme, amount_yen=2_000_000, by=secretariat)
    assert (instalment.code, instalment.amount_yen, instalment.status) == (
        "full",
        2_000_000,
        InstalmentStatus.DUE,
    )


def test_no_instalments_without_an_awarded_amount(programme, secretariat):
    application = make_application(programme, round_obj=open_round(programme), status=workflow.ACCEPTED)
    with pytest.raises(ValidationError, match="交付決定額"):
        instalments.create_instalments(application)
    assert not Instalment.objects.exists()


# --- preparing ---


def test_finance_prepares_a_batch_from_the_due_instalments_with_a_ready_payee(programme, finance, payees):
    first = _ready(programme, finance, payees, amount_yen=1_500_000)
    second = _ready(programme, finance, payees, amount_yen=700_000)
    (no_payee,) = accepted_with_instalments(programme, amount_yen=300_000, by=finance)
    (bad_name,) = accepted_with_instalments(programme, amount_yen=400_000, by=finance)
    payees[bad_name.application_id] = payee(holder="山田商店")
    day = next_business_day()

    batch = batches.prepare_batch(actor=finance, transfer_date=day)

    assert (batch.status, batch.transfer_count, batch.total_yen, batch.transfer_date) == (
        BatchStatus.PREPARED,
        2,
        2_200_000,
        day,
    )
    assert sorted(batch.transfers.values_list("instalment_id", flat=True)) == [first.pk, second.pk]
    transfer = batch.transfers.get(instalment=first)
    assert (transfer.bank_code, transfer.holder_kana, transfer.amount_yen) == (
        "0005",
        "ｶ)ﾃｽﾄｾｲｻｸｼﾖ",
        1_500_000,
    )
    assert transfer.bank_name_kana == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"  # 0005, from the zengin-code data
    statuses = dict(Instalment.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: InstalmentStatus.IN_BATCH,
        second.pk: InstalmentStatus.IN_BATCH,
        no_payee.pk: InstalmentStatus.DUE,
        bad_name.pk: InstalmentStatus.DUE,
    }
    entry = AuditEntry.objects.get(action="awards.batch_prepared")
    assert entry.changes["left_due"] == 2 and entry.changes["total_yen"] == 2_200_000


def test_nothing_ready_is_refused_and_changes_nothing(programme, finance, payees):
    accepted_with_instalments(programme, amount_yen=300_000, by=finance)
    with pytest.raises(ValidationError, match="支払可能な分割交付がありません"):
        batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    assert not PaymentBatch.objects.exists()


@pytest.mark.parametrize("when", ["today", "saturday"])
def test_the_transfer_date_must_be_a_future_business_day(programme, finance, payees, when):
    _ready(programme, finance, payees)
    today = dt.date.today()
    day = today if when == "today" else today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    with pytest.raises(ValidationError) as refused:
        batches.prepare_batch(actor=finance, transfer_date=day)
    assert "transfer_date" in refused.value.error_dict
    assert not PaymentBatch.objects.exists()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR, Role.APPLICANT])
def test_only_finance_prepares(programme, finance, payees, make_user, role):
    _ready(programme, finance, payees)
    with pytest.raises(PermissionDenied):
        batches.prepare_batch(actor=make_user(role), transfer_date=next_business_day())
    assert not PaymentBatch.objects.exists()


# --- four eyes ---


def test_the_preparer_can_never_approve(programme, finance, approver, payees):
    _ready(programme, finance, payees)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    with pytest.raises(PermissionDenied, match="作成した本人は承認できません"):
        batches.approve_batch(actor=finance, batch=batch)
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.PREPARED
    approved = batches.approve_batch(actor=approver, batch=batch)
    assert (approved.status, approved.approved_by) == (BatchStatus.APPROVED, approver)
    assert AuditEntry.objects.filter(action="awards.batch_approved", actor=approver).exists()
    with pytest.raises(PermissionDenied, match="承認待ちではありません"):
        batches.approve_batch(actor=approver, batch=batch)


def test_the_database_refuses_self_approval(programme, finance, payees):
    _ready(programme, finance, payees)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.APPROVED, approved_by=finance)


def test_the_secretariat_cannot_approve(programme, finance, secretariat, payees):
    _ready(programme, finance, payees)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    with pytest.raises(PermissionDenied):
        batches.approve_batch(actor=secretariat, batch=batch)


# --- the file ---


def test_only_an_approved_batch_is_exported(programme, finance, approver, payees, settings):
    instalment = _ready(programme, finance, payees)
    day = next_business_day()
    batch = batches.prepare_batch(actor=finance, transfer_date=day)
    with pytest.raises(PermissionDenied, match="承認されていない"):
        batches.export_batch(actor=finance, batch=batch)
    batches.approve_batch(actor=approver, batch=batch)
    # The payee changes after approval: the file is written from the batch's snapshot.
    payees[instalment.application_id] = payee(holder="ﾍﾞﾂﾉﾒｲｷﾞ", account_number="7777777")

    content = batches.export_batch(actor=finance, batch=batch)

    parsed = zengin.read(content)
    assert parsed.header == zengin.Header(
        requester_code=settings.DXGRANT_TRANSFER_REQUESTER_CODE,
        requester_name=settings.DXGRANT_TRANSFER_REQUESTER_NAME,
        transfer_mmdd=day.strftime("%m%d"),
        bank_code=settings.DXGRANT_TRANSFER_BANK_CODE,
        bank_name=settings.DXGRANT_TRANSFER_BANK_NAME,
        branch_code=settings.DXGRANT_TRANSFER_BRANCH_CODE,
        branch_name=settings.DXGRANT_TRANSFER_BRANCH_NAME,
        account_type=settings.DXGRANT_TRANSFER_ACCOUNT_TYPE,
        account_number=settings.DXGRANT_TRANSFER_ACCOUNT_NUMBER,
    )
    (data,) = parsed.data
    transfer = batch.transfers.get()
    assert (data.payee_name, data.account_number, data.amount, data.customer_code1) == (
        "ｶ)ﾃｽﾄｾｲｻｸｼﾖ",
        "1234567",
        1_500_000,
        transfer.pk,
    )
    assert parsed.trailer == zengin.Trailer(count=1, total=1_500_000)
    assert content[:4] == b"1210"
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.EXPORTED
    assert batches.export_batch(actor=approver, batch=batch) == content
    actions = list(
        AuditEntry.objects.filter(action__startswith="awards.batch_").values_list("action", flat=True)
    )
    assert actions[-2:] == ["awards.batch_exported", "awards.batch_downloaded_again"]


# --- results and paying ---


def test_settling_pays_the_successful_transfers_and_frees_the_failed(
    programme, finance, approver, payees, django_capture_on_commit_callbacks
):
    batch = _exported(programme, finance, approver, payees, count=2)
    ok, failed = batch.transfers.order_by("pk")
    with pytest.raises(ValidationError, match="未登録"):
        settlement.settle_batch(actor=finance, batch=batch)
    settlement.record_result(actor=finance, transfer=ok, result="ok")
    with pytest.raises(ValidationError) as refused:
        settlement.record_result(actor=finance, transfer=failed, result="failed")
    assert "code" in refused.value.error_dict
    settlement.record_result(actor=approver, transfer=failed, result="failed", code="01")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        settlement.settle_batch(actor=finance, batch=batch)

    paid = Instalment.objects.get(pk=ok.instalment_id)
    assert (paid.status, paid.paid_on) == (InstalmentStatus.PAID, batch.transfer_date)
    assert paid.application.status == workflow.PAID
    again = Instalment.objects.get(pk=failed.instalment_id)
    assert (again.status, again.paid_on) == (InstalmentStatus.DUE, None)
    assert again.application.status == workflow.ACCEPTED
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.SETTLED
    assert (
        AuditEntry.objects.filter(action="application.pay", object_id=str(paid.application_id)).count() == 1
    )
    people = {m.user.email for m in paid.application.engagement.members.select_related("user")}
    assert people and {address for message in mail.outbox for address in message.to} == people
    assert all("お振込みしました" in message.subject for message in mail.outbox)
    assert "1,000,000" in mail.outbox[0].body
    assert Instalment.objects.get(pk=paid.pk).paid_emailed_at is not None
    # Paying twice is impossible.
    with pytest.raises(PermissionDenied):
        settlement.settle_batch(actor=finance, batch=batch)
    with pytest.raises(PermissionDenied):
        settlement.record_result(actor=finance, transfer=ok, result="failed", code="01")
    # The failed instalment goes into a new batch (the failed transfer no longer holds it).
    second = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    assert list(second.transfers.values_list("instalment_id", flat=True)) == [again.pk]


def test_the_database_keeps_an_instalment_in_one_live_transfer(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees, count=1)
    transfer = batch.transfers.get()
    other = PaymentBatch.objects.create(
        transfer_date=batch.transfer_date, transfer_count=1, total_yen=1, prepared_by=finance
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            batch=other,
            instalment=transfer.instalment,
            amount_yen=1,
            bank_code="0005",
            branch_code="001",
            account_type="1",
            account_number="1234567",
            holder_kana="ﾃｽﾄ",
        )


def test_the_database_refuses_paid_without_a_date(programme, finance, payees):
    instalment = _ready(programme, finance, payees)
    with pytest.raises(IntegrityError), transaction.atomic():
        Instalment.objects.filter(pk=instalment.pk).update(status=InstalmentStatus.PAID)


def test_results_only_for_an_exported_batch(programme, finance, approver, payees):
    _ready(programme, finance, payees)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    with pytest.raises(PermissionDenied, match="振込データを出力した後"):
        settlement.record_result(actor=finance, transfer=batch.transfers.get(), result="ok")


# --- the command line ---


def test_the_commands_list_batches_and_write_the_file(programme, finance, approver, payees, tmp_path):
    _ready(programme, finance, payees, amount_yen=1_000_000)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    output = tmp_path / "transfers.txt"
    with pytest.raises(CommandError, match="承認されていない"):
        call_command("export_transfers", "--batch", str(batch.pk), "--output", str(output))
    assert not output.exists()
    batches.approve_batch(actor=approver, batch=batch)

    listing = StringIO()
    call_command("payment_batches", stdout=listing)
    row = listing.getvalue().splitlines()[1].split()
    assert row == [str(batch.pk), "approved", batch.transfer_date.isoformat(), "1", "1,000,000"]

    out = StringIO()
    call_command("export_transfers", "--batch", str(batch.pk), "--output", str(output), stdout=out)
    parsed = zengin.read(output.read_bytes())
    assert parsed.trailer == zengin.Trailer(count=1, total=1_000_000)
    assert f"{4 * 122} bytes, 1 transfers, 1,000,000 yen" in out.getvalue()  # header, data, trailer, end
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.EXPORTED
    assert AuditEntry.objects.get(action="awards.batch_exported").actor is None
    with pytest.raises(CommandError, match="No payment batch"):
        call_command("export_transfers", "--batch", "999999", "--output", str(output))
