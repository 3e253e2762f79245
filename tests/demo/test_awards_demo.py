"""The demo after the decision (demo/awards.py): three awards of the decided round notified, two
accepted by their applicants with a code and with a payee account in the company's name, the third
waiting for acceptance; an approved payment batch whose 全銀 file reads back; the finance accounts
sign in with their second factor. The review's seeding is slow: `the_awards_demo` runs inside
tests/demo/test_review_demo.py's test, on the same seeded data."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client

from dxgrant.accounts.models import StepUpAttempt, StepUpOutcome
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import selectors, zengin
from dxgrant.awards.models import (
    Acceptance,
    BatchStatus,
    Instalment,
    InstalmentStatus,
    Notice,
    PaymentBatch,
)
from dxgrant.awards.payee_rules import holder_kana
from dxgrant.awards.services import batches
from dxgrant.demo.accounts import DEMO_PASSWORD, SECOND_FINANCE
from dxgrant.demo.awards import waiting_for_acceptance
from dxgrant.demo.review import DECIDED_ROUND_CODE
from dxgrant.demo.seed import seed_demo
from dxgrant.integrity.models import AuditEntry

pytestmark = pytest.mark.django_db

FINANCE = "finance@demo.dxgrant.jp"
APPLICANT = "applicant@demo.dxgrant.jp"


def the_awards_demo() -> None:
    """The awards demo, on data `seed_demo(review=True)` wrote (called once it has)."""
    decided = Application.objects.filter(round__code=DECIDED_ROUND_CODE)
    notified = decided.filter(notices__isnull=False).distinct()
    assert notified.count() == Notice.objects.filter(application__round__code=DECIDED_ROUND_CODE).count() == 3
    accepted = list(decided.filter(status=workflow.ACCEPTED).order_by("pk"))
    waiting = list(decided.filter(status=workflow.NOTIFIED))
    assert len(accepted) == 2 and len(waiting) == 1
    assert APPLICANT in {a.engagement.members.get().user.email for a in accepted}
    # The one waiting can be accepted today, and has most of its period left.
    period = selectors.acceptance_period(waiting[0])
    assert period.open_on(period.notified_on) and (period.last_day - period.notified_on).days >= 25
    assert not Acceptance.objects.filter(application=waiting[0]).exists()
    assert waiting_for_acceptance() == [waiting[0].engagement.members.get().user.email]
    for application in accepted:
        person = application.engagement.members.get().user
        done = Acceptance.objects.get(application=application)
        # Accepted by the applicant with an accepted code from their authenticator app.
        assert done.accepted_by == person and done.step_up is not None
        assert done.step_up.user == person and done.step_up.outcome == StepUpOutcome.ACCEPTED
        assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
        # The payee account is the company's own, in its kana name, ready for payment.
        account = selectors.current_payee(application)
        assert account is not None and account.holder_matches and account.created_by == person
        assert account.holder_kana == holder_kana(f"カ）{application.company_name_kana}")
        assert selectors.payee_ready_for_payment(account)
    assert not StepUpAttempt.objects.exclude(outcome=StepUpOutcome.ACCEPTED).exists()
    # One batch approved, prepared by finance@ and approved by finance2@, of the due instalments
    # (the past round's batch was paid and settled years ago: demo/past_round.py).
    batch = PaymentBatch.objects.get(status=BatchStatus.APPROVED)
    assert batch.status == BatchStatus.APPROVED
    assert (batch.prepared_by.email, batch.approved_by.email) == (FINANCE, SECOND_FINANCE.email)
    due = Instalment.objects.filter(application__in=accepted, due_after="acceptance")
    assert set(due.values_list("status", flat=True)) == {InstalmentStatus.IN_BATCH}
    assert batch.transfer_count == due.count() == 2
    assert batch.total_yen == sum(i.amount_yen for i in due) == sum(a.decision.amount_yen for a in accepted)
    # Its file reads back: one data record per transfer, the payees' accounts and names.
    content = batches.transfer_file(batch)
    read = zengin.read(content)
    assert len(read.data) == read.trailer.count == 2 and read.trailer.total == batch.total_yen
    holders = {selectors.current_payee(a).holder_kana for a in accepted}
    assert {record.payee_name for record in read.data} == holders
    assert {record.account_number for record in read.data} == {"1234567", "7654321"}
    assert AuditEntry.objects.filter(action="awards.batch_approved", object_id=str(batch.pk)).count() == 1


def test_the_finance_accounts_sign_in_with_the_second_factor(programme, capsys):
    seed_demo()
    for email in (FINANCE, SECOND_FINANCE.email):
        client = Client()
        client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        # The password alone does not open finance's pages.
        assert client.get("/staff/awards/payments/").status_code != 200
        call_command("demo_otp", email)
        code = capsys.readouterr().out.strip()
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
        assert client.get("/staff/awards/payments/").status_code == 200
