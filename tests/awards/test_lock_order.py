"""Cancelling an award while finance works on its payment, in real threads on PostgreSQL.

Each test stages the meeting rather than hoping for it: a third session holds one row lock, the
first act starts and waits on it, the second starts and waits too, then the row is released. The
two acts then take the rest of their locks against each other. With two lock orders
(cancel: Application → Instalment → PaymentBatch; settle: PaymentBatch → Instalment →
Application) cancel and settle deadlocked here and PostgreSQL killed one of them (a 500); every
awards service now takes its locks in the one order of `dxgrant/awards/services/__init__.py`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import (
    BatchStatus,
    Cancellation,
    Instalment,
    InstalmentStatus,
    PaymentBatch,
    RepaymentDemand,
    Transfer,
)
from dxgrant.awards.services import batches, cancellation, settlement
from tests.applications.test_concurrency import JOIN_TIMEOUT, Outcome, assert_chain_verifies
from tests.audit_triggers import POSTGRES_THREADS

from .payments_builders import accepted_with_instalments, next_business_day, payee, payees
from .test_payments_concurrency import refusals_only

__all__ = ["payees"]

pytestmark = POSTGRES_THREADS


def _waiting_on_locks() -> int:
    """Sessions of this test database waiting for a lock now (the threads' own connections)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        (count,) = cursor.fetchone()
    return int(count)


def _until_waiting(count: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _waiting_on_locks() >= count:
            return True
        time.sleep(0.02)
    return False


def staged(hold: type[Any], pk: int, first: Callable[[], Any], second: Callable[[], Any]) -> list[Outcome]:
    """Hold `hold` row `pk` locked; start `first`, let it wait; start `second`, let it wait (or
    finish, if it needs nothing held); release the row. Returns both outcomes."""
    held, release = threading.Event(), threading.Event()
    outcomes = [Outcome(), Outcome()]

    def blocker() -> None:
        try:
            with transaction.atomic():
                list(hold.objects.select_for_update().filter(pk=pk))
                held.set()
                release.wait(JOIN_TIMEOUT)
        finally:
            connection.close()

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            outcomes[i].value = call()
        except BaseException as exc:  # noqa: BLE001 - every outcome is asserted by the test
            outcomes[i].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=blocker, daemon=True)]
    threads[0].start()
    assert held.wait(JOIN_TIMEOUT)
    for i, call in enumerate((first, second)):
        thread = threading.Thread(target=run, args=(i, call), daemon=True)
        thread.start()
        threads.append(thread)
        _until_waiting(i + 1)
    release.set()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: deadlock?"
    return outcomes


@pytest.fixture
def people(make_user) -> dict[str, Any]:
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "preparer": make_user(Role.FINANCE, email="preparer@example.jp"),
        "approver": make_user(Role.FINANCE, email="approver@example.jp"),
    }


@pytest.fixture
def two_due(programme, people, payees) -> list[Instalment]:
    """Two accepted awards, each with one instalment due and a ready payee account."""
    due = []
    for n in range(2):
        (instalment,) = accepted_with_instalments(
            programme, amount_yen=1_000_000 + n, by=people["secretariat"]
        )
        payees[instalment.application_id] = payee()
        due.append(instalment)
    return due


def _batch_adds_up() -> None:
    """Every batch's count and total are its transfers'; no withdrawn instalment is in one."""
    for batch in PaymentBatch.objects.all():
        transfers = list(batch.transfers.all())
        assert batch.transfer_count == len(transfers)
        assert batch.total_yen == sum(t.amount_yen for t in transfers)
    assert not Transfer.objects.filter(instalment__status=InstalmentStatus.WITHDRAWN).exists()


def _cancel(people: dict[str, Any], application_id: int) -> Callable[[], Any]:
    return lambda: cancellation.cancel_decision(
        actor=people["secretariat"],
        application=Application.objects.get(pk=application_id),
        reason="虚偽の申請が判明したため",
    )


@pytest.fixture
def exported_with_results(two_due, people) -> PaymentBatch:
    batch = batches.prepare_batch(actor=people["preparer"], transfer_date=next_business_day())
    batches.approve_batch(actor=people["approver"], batch=batch)
    batches.export_batch(actor=people["approver"], batch=batch)
    for transfer in batch.transfers.all():
        settlement.record_result(actor=people["approver"], transfer=transfer, result="ok")
    return batch


def test_cancel_and_settle_at_once_do_not_deadlock(exported_with_results, two_due, people):
    """Cancel waits for the application (held), settle takes the batch and the instalments and
    waits for the application too; released, cancel and settle met in a deadlock before."""
    batch = exported_with_results
    target = two_due[0].application_id
    outcomes = staged(
        Application,
        target,
        _cancel(people, target),
        lambda: settlement.settle_batch(actor=people["approver"], batch=batch),
    )

    assert refusals_only(outcomes) == []
    cancel, settle = outcomes
    assert settle.error is None
    # Cancel came first: the batch was exported and not yet settled, so it is refused.
    assert cancel.error is not None and "振込結果が確定していない" in str(cancel.error)
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.SETTLED
    assert set(Instalment.objects.values_list("status", flat=True)) == {InstalmentStatus.PAID}
    # Now settled, the cancellation goes through and demands the payment back.
    _cancel(people, target)()
    assert RepaymentDemand.objects.get().principal_yen == two_due[0].amount_yen
    assert_chain_verifies()


def test_settle_first_then_cancel_demands_the_payment_back(exported_with_results, two_due, people):
    batch = exported_with_results
    target = two_due[0].application_id
    outcomes = staged(
        PaymentBatch,
        batch.pk,
        lambda: settlement.settle_batch(actor=people["approver"], batch=batch),
        _cancel(people, target),
    )

    assert [o.error for o in outcomes] == [None, None]
    assert Application.objects.get(pk=target).status == workflow.REPAYMENT_DUE
    assert RepaymentDemand.objects.get().principal_yen == two_due[0].amount_yen
    assert Instalment.objects.get(pk=two_due[0].pk).status == InstalmentStatus.PAID
    assert_chain_verifies()


@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-first", "prepare-first"])
def test_cancel_and_prepare_at_once_leave_no_withdrawn_instalment_in_a_batch(two_due, people, cancel_first):
    target = two_due[0].application_id
    calls = [
        _cancel(people, target),
        lambda: batches.prepare_batch(actor=people["preparer"], transfer_date=next_business_day()),
    ]
    outcomes = staged(Application, target, *(calls if cancel_first else calls[::-1]))

    assert [o.error for o in outcomes] == [None, None]
    assert Instalment.objects.get(pk=two_due[0].pk).status == InstalmentStatus.WITHDRAWN
    assert Instalment.objects.get(pk=two_due[1].pk).status == InstalmentStatus.IN_BATCH
    (batch,) = PaymentBatch.objects.all()
    assert [t.instalment_id for t in batch.transfers.all()] == [two_due[1].pk]
    _batch_adds_up()
    assert Cancellation.objects.get().withdrawn_yen == two_due[0].amount_yen
    assert_chain_verifies()


@pytest.fixture
def prepared(two_due, people) -> PaymentBatch:
    return batches.prepare_batch(actor=people["preparer"], transfer_date=next_business_day())


@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-first", "approve-first"])
def test_cancel_and_approve_at_once_leave_the_batch_to_approve_again(prepared, two_due, people, cancel_first):
    target = two_due[0].application_id
    calls = [_cancel(people, target), lambda: batches.approve_batch(actor=people["approver"], batch=prepared)]
    outcomes = staged(PaymentBatch, prepared.pk, *(calls if cancel_first else calls[::-1]))

    assert [o.error for o in outcomes] == [None, None]
    batch = PaymentBatch.objects.get(pk=prepared.pk)
    # Approved before the cancellation took a transfer out, it waits for approval again.
    expected = BatchStatus.APPROVED if cancel_first else BatchStatus.PREPARED
    assert batch.status == expected
    assert [t.instalment_id for t in batch.transfers.all()] == [two_due[1].pk]
    _batch_adds_up()
    assert_chain_verifies()


@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-first", "export-first"])
def test_cancel_and_export_at_once_never_send_a_cancelled_award(prepared, two_due, people, cancel_first):
    batches.approve_batch(actor=people["approver"], batch=prepared)
    target = two_due[0].application_id
    calls = [_cancel(people, target), lambda: batches.export_batch(actor=people["approver"], batch=prepared)]
    outcomes = staged(PaymentBatch, prepared.pk, *(calls if cancel_first else calls[::-1]))

    assert refusals_only(outcomes) == []
    cancel, export = outcomes if cancel_first else outcomes[::-1]
    batch = PaymentBatch.objects.get(pk=prepared.pk)
    if cancel_first:
        # The batch lost the transfer and went back to approval: nothing is sent unapproved.
        assert cancel.error is None and export.error is not None
        assert batch.status == BatchStatus.PREPARED
        assert Instalment.objects.get(pk=two_due[0].pk).status == InstalmentStatus.WITHDRAWN
    else:
        # The file went to the bank: cancelling waits for its result.
        assert export.error is None and cancel.error is not None
        assert "振込結果が確定していない" in str(cancel.error)
        assert batch.status == BatchStatus.EXPORTED
        assert not Cancellation.objects.exists()
    _batch_adds_up()
    assert_chain_verifies()
