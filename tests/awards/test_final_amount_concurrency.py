"""The final amount (額の確定) determined while finance pays the same award, or while the
secretariat cancels it, in real threads on PostgreSQL (staged as in test_lock_order.py).

What must never happen: an instalment reduced by the final amount that was also paid (or put in a
batch) at its old amount; two demands for the same money; paid − final computed on a paid figure
that a payment settled meanwhile made stale. `final_amount.determine` locks the application, then
its instalments (the awards order, services/__init__.py); settle and prepare lock the application
before they touch its instalments, and cancelling does too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import (
    FinalAmount,
    Instalment,
    InstalmentStatus,
    PaymentBatch,
    RepaymentDemand,
    Transfer,
)
from dxgrant.awards.services import batches, cancellation, final_amount, settlement
from tests.applications.test_concurrency import assert_chain_verifies
from tests.audit_triggers import POSTGRES_THREADS
from tests.factories.rounds import open_round

from .final_amount_builders import DECIDED, paid_award
from .payments_builders import accepted_with_instalments, next_business_day, payee, payees
from .test_lock_order import staged
from .test_payments_concurrency import refusals_only

__all__ = ["payees"]

pytestmark = POSTGRES_THREADS

# Both parts due from acceptance: the second can be put in a batch while the final amount is
# determined (the race with prepare).
BOTH_DUE = [
    {
        "code": "advance",
        "label_ja": "概算払",
        "label_en": "Advance",
        "share_percent": 60,
        "due_after": "acceptance",
    },
    {
        "code": "second",
        "label_ja": "中間払",
        "label_en": "Second",
        "share_percent": 40,
        "due_after": "acceptance",
    },
]


@pytest.fixture
def people(make_user) -> dict[str, Any]:
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "preparer": make_user(Role.FINANCE, email="preparer@example.jp"),
        "approver": make_user(Role.FINANCE, email="approver@example.jp"),
    }


def _determine(people: dict[str, Any], application_id: int, eligible: int) -> Callable[[], Any]:
    return lambda: final_amount.determine(
        application=Application.objects.get(pk=application_id),
        eligible_actual_yen=eligible,
        actor=people["secretariat"],
    )


def _cancel(people: dict[str, Any], application_id: int) -> Callable[[], Any]:
    return lambda: cancellation.cancel_decision(
        actor=people["secretariat"],
        application=Application.objects.get(pk=application_id),
        reason="虚偽の実績報告が判明したため",
    )


def _consistent(application_id: int) -> None:
    """Paid + what remains to pay = the final amount + what is demanded back; every transfer is
    for its instalment's amount; nothing withdrawn is in a batch."""
    for transfer in Transfer.objects.select_related("instalment"):
        assert transfer.amount_yen == transfer.instalment.amount_yen
        assert transfer.instalment.status != InstalmentStatus.WITHDRAWN
    final = FinalAmount.objects.filter(application_id=application_id).first()
    if final is None:
        return
    parts = list(Instalment.objects.filter(application_id=application_id))
    paid = sum(i.amount_yen for i in parts if i.status == InstalmentStatus.PAID)
    live = sum(
        i.amount_yen for i in parts if i.status not in (InstalmentStatus.PAID, InstalmentStatus.WITHDRAWN)
    )
    demanded = sum(RepaymentDemand.objects.filter(final_amount=final).values_list("principal_yen", flat=True))
    assert final.paid_before_yen == paid
    assert paid + live == final.final_yen + demanded


@pytest.fixture
def exported_with_result(programme, people, payees) -> Instalment:
    """A one-payment award of 5,000,000円 whose payment is in an exported batch, its result
    recorded "paid", the batch not yet settled."""
    (instalment,) = accepted_with_instalments(programme, amount_yen=DECIDED, by=people["secretariat"])
    payees[instalment.application_id] = payee()
    batch = batches.prepare_batch(actor=people["preparer"], transfer_date=next_business_day())
    batches.approve_batch(actor=people["approver"], batch=batch)
    batches.export_batch(actor=people["approver"], batch=batch)
    (transfer,) = batch.transfers.all()
    settlement.record_result(actor=people["approver"], transfer=transfer, result="ok")
    return instalment


def test_settle_first_then_the_final_amount_sees_the_payment(exported_with_result, people):
    target = exported_with_result.application_id
    batch = PaymentBatch.objects.get()
    outcomes = staged(
        Application,
        target,
        lambda: settlement.settle_batch(actor=people["approver"], batch=batch),
        _determine(people, target, 6_000_000),
    )

    assert [o.error for o in outcomes] == [None, None]
    final = FinalAmount.objects.get()
    # 6,000,000 × 2/3 = 4,000,000; the 5,000,000 settled first counts as paid: 1,000,000 back.
    assert (final.final_yen, final.paid_before_yen) == (4_000_000, DECIDED)
    assert RepaymentDemand.objects.get().principal_yen == 1_000_000
    assert Instalment.objects.get().status == InstalmentStatus.PAID
    _consistent(target)
    assert_chain_verifies()


def test_the_final_amount_first_is_refused_while_the_payment_is_in_its_batch(exported_with_result, people):
    target = exported_with_result.application_id
    batch = PaymentBatch.objects.get()
    outcomes = staged(
        Application,
        target,
        _determine(people, target, 6_000_000),
        lambda: settlement.settle_batch(actor=people["approver"], batch=batch),
    )

    assert refusals_only(outcomes) == []
    determine, settle = outcomes
    assert determine.error is not None and "支払手続中の分割交付があります" in str(determine.error)
    assert settle.error is None
    assert not FinalAmount.objects.exists() and not RepaymentDemand.objects.exists()
    assert Instalment.objects.get().status == InstalmentStatus.PAID
    assert_chain_verifies()


@pytest.fixture
def second_due(programme, people, payees) -> Instalment:
    """5,000,000円 in two parts due from acceptance: 3,000,000 paid, 2,000,000 due (not in a batch)."""
    round_obj = open_round(programme, "FINAL-BOTH")
    round_obj.award_rules = dict(round_obj.award_rules or {}) | {"instalments": BOTH_DUE}
    round_obj.save(update_fields=["award_rules"])
    advance, second = accepted_with_instalments(
        programme, amount_yen=DECIDED, by=people["secretariat"], round_obj=round_obj
    )
    Instalment.objects.filter(pk=advance.pk).update(
        status=InstalmentStatus.PAID, paid_on=timezone.localdate() - dt.timedelta(days=30)
    )
    Application.objects.filter(pk=advance.application_id).update(status=workflow.PAID)
    payees[advance.application_id] = payee()
    assert second.status == InstalmentStatus.DUE
    return second


@pytest.mark.parametrize("determine_first", [True, False], ids=["final-first", "prepare-first"])
def test_the_final_amount_and_prepare_at_once_never_batch_the_old_amount(second_due, people, determine_first):
    target = second_due.application_id
    calls = [
        _determine(people, target, 6_000_000),
        lambda: batches.prepare_batch(actor=people["preparer"], transfer_date=next_business_day()),
    ]
    outcomes = staged(Application, target, *(calls if determine_first else calls[::-1]))

    assert refusals_only(outcomes) == []
    determine, prepare = outcomes if determine_first else outcomes[::-1]
    second = Instalment.objects.get(pk=second_due.pk)
    if determine_first:
        # 4,000,000 final, 3,000,000 paid: the second part reduced to 1,000,000, and batched so.
        assert determine.error is None and prepare.error is None
        assert (second.amount_yen, second.status) == (1_000_000, InstalmentStatus.IN_BATCH)
        assert Transfer.objects.get().amount_yen == 1_000_000
    else:
        assert prepare.error is None
        assert determine.error is not None and "支払手続中の分割交付があります" in str(determine.error)
        assert (second.amount_yen, second.status) == (2_000_000, InstalmentStatus.IN_BATCH)
        assert not FinalAmount.objects.exists()
    _consistent(target)
    assert_chain_verifies()


@pytest.mark.parametrize("determine_first", [True, False], ids=["final-first", "cancel-first"])
def test_the_final_amount_and_cancelling_at_once_demand_what_was_paid_once(
    programme, people, determine_first
):
    application = paid_award(programme, people["secretariat"])  # 5,000,000円 paid, reporting
    target = application.pk
    calls = [_determine(people, target, 3_000_000), _cancel(people, target)]
    outcomes = staged(Application, target, *(calls if determine_first else calls[::-1]))

    assert refusals_only(outcomes) == []
    determine, cancel = outcomes if determine_first else outcomes[::-1]
    assert cancel.error is None
    assert Application.objects.get(pk=target).status == workflow.REPAYMENT_DUE
    demands = {(d.final_amount_id is not None): d.principal_yen for d in RepaymentDemand.objects.all()}
    if determine_first:
        # 3,000,000 × 2/3 = 2,000,000 final: 3,000,000 demanded by it, the other 2,000,000 by
        # the cancellation; together exactly what was paid.
        assert determine.error is None
        assert demands == {True: 3_000_000, False: 2_000_000}
    else:
        assert determine.error is not None and "額を確定できるのは" in str(determine.error)
        assert demands == {False: DECIDED}
    assert sum(demands.values()) == DECIDED
    assert_chain_verifies()
