"""Finance people acting on the same payments at the same moment, in real threads on PostgreSQL
(the pattern of tests/applications/test_concurrency.py): two preparers never put an instalment
in two batches, two approvals approve once, and a batch is paid once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards.models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch, Transfer
from dxgrant.awards.services import batches, settlement
from dxgrant.integrity.models import AuditEntry
from tests.applications.test_concurrency import Outcome, assert_chain_verifies, together
from tests.audit_triggers import POSTGRES_THREADS

from .payments_builders import accepted_with_instalments, next_business_day, payee, payees

__all__ = ["payees"]

pytestmark = POSTGRES_THREADS


def refusals_only(outcomes: list[Outcome]) -> list[str]:
    """Errors other than a refusal a person can read (a deadlock, an IntegrityError...)."""
    return [
        f"{type(o.error).__name__}: {o.error}"
        for o in outcomes
        if o.error is not None
        and not (isinstance(o.error, ValidationError | PermissionDenied) and str(o.error).strip())
    ]


@pytest.fixture
def ready(programme, make_user, payees) -> list[Instalment]:
    by = make_user(Role.SECRETARIAT)
    due = []
    for n in range(3):
        (instalment,) = accepted_with_instalments(programme, amount_yen=1_000_000 + n, by=by)
        payees[instalment.application_id] = payee()
        due.append(instalment)
    return due


@pytest.mark.parametrize("threads", [2, 4])
def test_preparers_at_once_never_put_an_instalment_in_two_batches(ready, make_user, threads):
    people = [make_user(Role.FINANCE, email=f"finance-{n}@example.jp") for n in range(threads)]
    day = next_business_day()
    outcomes = together(*[lambda p=p: batches.prepare_batch(actor=p, transfer_date=day) for p in people])

    assert refusals_only(outcomes) == []
    made = [o.value for o in outcomes if o.error is None]
    assert len(made) == 1
    assert all("支払可能な分割交付がありません" in str(o.error) for o in outcomes if o.error is not None)
    assert PaymentBatch.objects.count() == 1
    assert Transfer.objects.count() == 3
    assert set(Instalment.objects.values_list("status", flat=True)) == {InstalmentStatus.IN_BATCH}
    assert_chain_verifies()


@pytest.fixture
def prepared(ready, make_user) -> PaymentBatch:
    preparer = make_user(Role.FINANCE, email="preparer@example.jp")
    return batches.prepare_batch(actor=preparer, transfer_date=next_business_day())


@pytest.mark.parametrize("threads", [2, 4])
def test_approvals_at_once_approve_once(prepared, make_user, threads):
    people = [make_user(Role.FINANCE, email=f"approver-{n}@example.jp") for n in range(threads)]
    outcomes = together(*[lambda p=p: batches.approve_batch(actor=p, batch=prepared) for p in people])

    assert refusals_only(outcomes) == []
    assert len([o for o in outcomes if o.error is None]) == 1
    assert PaymentBatch.objects.get(pk=prepared.pk).status == BatchStatus.APPROVED
    assert AuditEntry.objects.filter(action="awards.batch_approved").count() == 1
    assert_chain_verifies()


def test_the_preparer_and_another_approving_at_once_leave_the_other_as_approver(prepared, make_user):
    other = make_user(Role.FINANCE, email="other@example.jp")
    outcomes = together(
        lambda: batches.approve_batch(actor=prepared.prepared_by, batch=prepared),
        lambda: batches.approve_batch(actor=other, batch=prepared),
    )
    assert refusals_only(outcomes) == []
    assert isinstance(outcomes[0].error, PermissionDenied)
    assert PaymentBatch.objects.get(pk=prepared.pk).approved_by == other


@pytest.mark.parametrize("threads", [2, 4])
def test_settling_at_once_pays_once(prepared, make_user, threads):
    approver = make_user(Role.FINANCE, email="approver@example.jp")
    batches.approve_batch(actor=approver, batch=prepared)
    batches.export_batch(actor=approver, batch=prepared)
    for transfer in prepared.transfers.all():
        settlement.record_result(actor=approver, transfer=transfer, result="ok")
    mail.outbox.clear()

    outcomes = together(*[lambda: settlement.settle_batch(actor=approver, batch=prepared)] * threads)

    assert refusals_only(outcomes) == []
    assert len([o for o in outcomes if o.error is None]) == 1
    assert set(Instalment.objects.values_list("status", flat=True)) == {InstalmentStatus.PAID}
    assert AuditEntry.objects.filter(action="application.pay").count() == 3
    assert AuditEntry.objects.filter(action="awards.batch_settled").count() == 1
    assert {i.application.status for i in Instalment.objects.select_related("application")} == {workflow.PAID}
    # Each applicant's people told once.
    expected = sorted(
        m.user.email
        for i in Instalment.objects.select_related("application__engagement")
        for m in i.application.engagement.members.select_related("user")
    )
    assert sorted(address for message in mail.outbox for address in message.to) == expected
    assert_chain_verifies()
