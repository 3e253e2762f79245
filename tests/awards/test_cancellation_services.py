"""Cancelling an award and recording its repayment (awards/services/cancellation.py): who may,
what is withdrawn, the demand, the notice's public status, refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import zengin
from dxgrant.awards.models import (
    BatchStatus,
    Cancellation,
    Instalment,
    InstalmentStatus,
    PaymentBatch,
    Repayment,
    RepaymentDemand,
)
from dxgrant.awards.services import batches, cancellation, issuing
from dxgrant.decisions.models import Decision
from dxgrant.integrity.models import AuditEntry

from .cancellation_builders import paid_award
from .notice_builders import published
from .payments_builders import accepted_with_instalments, next_business_day, payee, payees

__all__ = ["payees", "published"]

pytestmark = pytest.mark.django_db

REASON = "補助対象経費に虚偽の請求があったため（第17条第1項）。"


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE, email="finance-1@example.jp")


@pytest.fixture
def approver(make_user):
    return make_user(Role.FINANCE, email="finance-2@example.jp")


def snapshot(application: Application) -> tuple:
    application.refresh_from_db()
    return (
        application.status,
        list(
            Instalment.objects.filter(application=application).values_list("status", flat=True).order_by("pk")
        ),
        Cancellation.objects.count(),
        RepaymentDemand.objects.count(),
        AuditEntry.objects.filter(action__startswith="awards.decision_").count(),
    )


def test_cancelling_a_notified_award_cancels_its_notice_at_once(
    client, published, secretariat, django_capture_on_commit_callbacks
):
    _round, apps = published
    notice = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk
    )
    application = apps["A"]
    application.refresh_from_db()
    assert application.status == workflow.NOTIFIED
    assert client.get(f"/api/v1/notices/{notice.number}").json()["status"] == "valid"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = cancellation.cancel_decision(actor=secretariat, application=application, reason=f"  {REASON} ")

    assert client.get(f"/api/v1/notices/{notice.number}").json()["status"] == "cancelled"
    notice.refresh_from_db()
    assert notice.cancel_reason == REASON
    application.refresh_from_db()
    assert application.status == workflow.CANCELLED
    assert (done.reason, done.withdrawn_yen) == (REASON, 0)
    assert not RepaymentDemand.objects.exists()
    entry = AuditEntry.objects.get(action="awards.decision_cancelled")
    assert entry.changes["notice"] == notice.number and entry.changes["repayment_yen"] == 0
    assert AuditEntry.objects.filter(action="application.cancel", object_id=str(application.pk)).count() == 1
    people = {m.user.email for m in application.engagement.members.select_related("user")}
    assert people and {a for m in mail.outbox for a in m.to} == people
    assert "交付決定取消" in mail.outbox[0].subject
    assert REASON in mail.outbox[0].body and f"/applications/{application.pk}/" in mail.outbox[0].body
    assert Cancellation.objects.get().emailed_at is not None


def test_a_paid_award_is_demanded_back_and_the_rest_withdrawn(
    programme, secretariat, django_capture_on_commit_callbacks
):
    application = paid_award(programme, secretariat, paid_yen=1_000_000, pending_yen=500_000)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)

    application.refresh_from_db()
    assert application.status == workflow.REPAYMENT_DUE
    statuses = dict(Instalment.objects.filter(application=application).values_list("code", "status"))
    assert statuses["final"] == InstalmentStatus.WITHDRAWN
    assert InstalmentStatus.PAID in statuses.values()
    assert done.withdrawn_yen == 500_000
    demand = RepaymentDemand.objects.get()
    today = timezone.localdate()
    repayment_days = application.round.rules.awards.repayment_days
    assert (demand.principal_yen, demand.demanded_on, demand.due_on) == (
        1_000_000,
        today,
        today + dt.timedelta(days=repayment_days),
    )
    assert str(demand.late_charge_percent_per_year) == str(
        application.round.rules.awards.late_charge_percent_per_year
    )
    assert "1,000,000" in mail.outbox[0].body and demand.due_on.isoformat() in mail.outbox[0].body
    assert (
        "返還金の振込先" in mail.outbox[0].body
        and "0001 ﾐｽﾞﾎ 001 ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ 普通 1234567" in mail.outbox[0].body
    )


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.APPLICANT, Role.FINANCE, Role.AUDITOR, Role.REVIEWER])
def test_only_the_secretariat_cancels(programme, secretariat, make_user, role):
    application = paid_award(programme, secretariat)
    before = snapshot(application)
    with pytest.raises(PermissionDenied):
        cancellation.cancel_decision(actor=make_user(role), application=application, reason=REASON)
    assert snapshot(application) == before


def test_the_applicants_own_people_cannot_cancel(programme, secretariat):
    application = paid_award(programme, secretariat)
    before = snapshot(application)
    for person in [
        application.engagement.lead_advisor,
        *[m.user for m in application.engagement.members.all()],
    ]:
        with pytest.raises(PermissionDenied):
            cancellation.cancel_decision(actor=person, application=application, reason=REASON)
    assert snapshot(application) == before


def test_a_reason_is_required(programme, secretariat):
    application = paid_award(programme, secretariat)
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        cancellation.cancel_decision(actor=secretariat, application=application, reason="  \n ")
    assert "reason" in refused.value.error_dict
    assert snapshot(application) == before


@pytest.mark.parametrize(
    "status", [workflow.IN_REVIEW, workflow.REJECTED, workflow.CANCELLED, workflow.REPAID]
)
def test_only_an_award_can_be_cancelled(programme, secretariat, status):
    application = paid_award(programme, secretariat)
    Application.objects.filter(pk=application.pk).update(status=status)
    before = snapshot(application)
    with pytest.raises(ValidationError, match="取り消せる"):
        cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
    assert snapshot(application) == before


def test_twice_is_refused(programme, secretariat):
    application = paid_award(programme, secretariat)
    cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
    before = snapshot(application)
    with pytest.raises(ValidationError):
        cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
    assert snapshot(application) == before


def test_an_exported_transfer_blocks_cancellation_until_settled(
    programme, secretariat, finance, approver, payees
):
    (instalment,) = accepted_with_instalments(programme, amount_yen=1_200_000, by=secretariat)
    payees[instalment.application_id] = payee()
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    batches.approve_batch(actor=approver, batch=batch)
    batches.export_batch(actor=finance, batch=batch)
    application = instalment.application
    before = snapshot(application)
    with pytest.raises(ValidationError, match=f"支払バッチ {batch.pk}"):
        cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
    assert snapshot(application) == before
    assert PaymentBatch.objects.get(pk=batch.pk).transfer_count == 1


def test_a_transfer_in_an_approved_batch_is_removed_and_the_batch_approved_again(
    programme, secretariat, finance, approver, payees
):
    ready = []
    for amount in (1_000_000, 2_000_000):
        (instalment,) = accepted_with_instalments(programme, amount_yen=amount, by=secretariat)
        payees[instalment.application_id] = payee()
        ready.append(instalment)
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    batches.approve_batch(actor=approver, batch=batch)

    cancellation.cancel_decision(actor=secretariat, application=ready[0].application, reason=REASON)

    batch.refresh_from_db()
    assert (batch.status, batch.transfer_count, batch.total_yen, batch.approved_by) == (
        BatchStatus.PREPARED,
        1,
        2_000_000,
        None,
    )
    assert list(batch.transfers.values_list("instalment_id", flat=True)) == [ready[1].pk]
    assert Instalment.objects.get(pk=ready[0].pk).status == InstalmentStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="awards.transfer_removed_on_cancellation").count() == 1
    ready[0].application.refresh_from_db()
    assert ready[0].application.status == workflow.CANCELLED  # nothing was paid: no demand
    # Approved again by the second person, then exported: the cancelled award is not in the file.
    batches.approve_batch(actor=approver, batch=batch)
    content = batches.export_batch(actor=finance, batch=batch)
    # Read field by field: a byte search would also match a transfer number such as 10 followed
    # by the zeros of the next field.
    assert [d.amount for d in zengin.read(content).data] == [2_000_000]


def test_a_batch_left_empty_is_deleted(programme, secretariat, finance, payees):
    (instalment,) = accepted_with_instalments(programme, amount_yen=1_000_000, by=secretariat)
    payees[instalment.application_id] = payee()
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    cancellation.cancel_decision(actor=secretariat, application=instalment.application, reason=REASON)
    assert not PaymentBatch.objects.filter(pk=batch.pk).exists()
    assert Instalment.objects.get(pk=instalment.pk).status == InstalmentStatus.WITHDRAWN


# --- repayment ---


@pytest.fixture
def demand(programme, secretariat) -> RepaymentDemand:
    application = paid_award(programme, secretariat, paid_yen=1_000_000, pending_yen=0)
    cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
    return RepaymentDemand.objects.get()


def late(demand: RepaymentDemand, days_overdue: int) -> RepaymentDemand:
    """Move the demand back in time so that today is `days_overdue` days after its due date."""
    due = timezone.localdate() - dt.timedelta(days=days_overdue)
    RepaymentDemand.objects.filter(pk=demand.pk).update(due_on=due, demanded_on=due - dt.timedelta(days=20))
    demand.refresh_from_db()
    return demand


def test_repaid_on_time_settles_the_demand(demand, finance):
    today = timezone.localdate()
    cancellation.record_repayment(actor=finance, demand=demand, amount_yen=400_000, paid_on=today)
    demand.refresh_from_db()
    assert demand.settled_on is None and demand.application.status == workflow.REPAYMENT_DUE
    cancellation.record_repayment(actor=finance, demand=demand, amount_yen=600_000, paid_on=today)
    demand.refresh_from_db()
    assert demand.settled_on == today
    demand.application.refresh_from_db()
    assert demand.application.status == workflow.REPAID
    assert AuditEntry.objects.filter(action="awards.repayment_recorded").count() == 2
    assert AuditEntry.objects.filter(action="application.record_repayment").count() == 1
    with pytest.raises(ValidationError, match="完済済み"):
        cancellation.record_repayment(actor=finance, demand=demand, amount_yen=1, paid_on=today)


def test_late_repayment_owes_the_charge(demand, finance):
    demand = late(demand, 10)
    today = timezone.localdate()
    # Due 10 days ago, repaid today: 9 days late (today is not charged) on 1,000,000円 at the
    # round's default 10.95%: 2,700円.
    assert str(demand.late_charge_percent_per_year) == "10.95"
    cancellation.record_repayment(actor=finance, demand=demand, amount_yen=1_000_000, paid_on=today)
    demand.refresh_from_db()
    assert demand.settled_on is None
    with pytest.raises(ValidationError) as refused:
        cancellation.record_repayment(actor=finance, demand=demand, amount_yen=2_701, paid_on=today)
    assert "amount_yen" in refused.value.error_dict
    assert "2,700円" in str(refused.value)
    assert Repayment.objects.count() == 1
    cancellation.record_repayment(actor=finance, demand=demand, amount_yen=2_700, paid_on=today)
    demand.refresh_from_db()
    assert demand.settled_on == today


def test_overpayment_is_refused_and_changes_nothing(demand, finance):
    with pytest.raises(ValidationError) as refused:
        cancellation.record_repayment(
            actor=finance, demand=demand, amount_yen=1_000_001, paid_on=timezone.localdate()
        )
    assert "1,000,000円" in str(refused.value)
    assert not Repayment.objects.exists()
    demand.refresh_from_db()
    assert demand.settled_on is None


@pytest.mark.parametrize(
    ("amount", "days", "field"), [(0, 0, "amount_yen"), (100, 1, "paid_on"), (100, -30, "paid_on")]
)
def test_bad_input_is_refused_with_the_field(demand, finance, amount, days, field):
    with pytest.raises(ValidationError) as refused:
        cancellation.record_repayment(
            actor=finance,
            demand=demand,
            amount_yen=amount,
            paid_on=timezone.localdate() + dt.timedelta(days=days),
        )
    assert field in refused.value.error_dict
    assert not Repayment.objects.exists()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR, Role.APPLICANT, Role.ADVISOR])
def test_only_finance_records_repayments(demand, make_user, role):
    with pytest.raises(PermissionDenied):
        cancellation.record_repayment(
            actor=make_user(role), demand=demand, amount_yen=1_000, paid_on=timezone.localdate()
        )
    assert not Repayment.objects.exists()
