"""Accepted awards with instalments, and their payee accounts (real `awards.PayeeAccount` rows,
which payments read through `batches._payee_snapshots`)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Instalment, PayeeAccount
from dxgrant.awards.services import batches, instalments
from dxgrant.decisions.models import Decision, Meeting, RoundDecision
from dxgrant.japan.business_days import add_business_days
from dxgrant.programs.models import Programme, Round
from tests.factories.applications import make_application
from tests.factories.rounds import open_round

_ranks = itertools.count(1)


class Payees(dict[int, batches.PayeeSnapshot]):
    """`payees[application_pk] = payee(...)` registers that account as the application's current
    payee account, as the applicant's page would leave it (the holder matching): a real row,
    read by payments as any other. A second assignment replaces the account."""

    def __init__(self, by: User) -> None:
        super().__init__()
        self.by = by

    def __setitem__(self, application_pk: int, snapshot: batches.PayeeSnapshot) -> None:
        PayeeAccount.objects.filter(application_id=application_pk, is_current=True).update(
            is_current=False, replaced_at=timezone.now()
        )
        PayeeAccount.objects.create(
            application_id=application_pk,
            bank_code=snapshot.bank_code,
            branch_code=snapshot.branch_code,
            account_type=snapshot.account_type,
            account_number=snapshot.account_number,
            holder_kana=snapshot.holder_kana,
            created_by=self.by,
        )
        super().__setitem__(application_pk, snapshot)


@pytest.fixture
def payees(make_user) -> Payees:
    return Payees(make_user(Role.APPLICANT))


def payee(holder: str = "ｶ)ﾃｽﾄｾｲｻｸｼﾖ", **change: str) -> batches.PayeeSnapshot:
    values = {
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "1234567",
        "holder_kana": holder,
    }
    return batches.PayeeSnapshot(**(values | change))


def award_decision(application: Application, *, amount_yen: int, by: User) -> Decision:
    """The application's awarded decision of `amount_yen`, in its round's (published) decision."""
    round_obj = application.round
    round_decision = RoundDecision.objects.filter(round=round_obj).first()
    if round_decision is None:
        meeting = Meeting.objects.create(
            round=round_obj, held_on=timezone.localdate(), members="委員", minutes="議事", recorded_by=by
        )
        round_decision = RoundDecision.objects.create(
            round=round_obj,
            meeting=meeting,
            budget_yen=10**10,
            awarded_total_yen=0,
            amount_rule={},
            decided_by=by,
            published_by=by,
            published_at=timezone.now(),
        )
    return Decision.objects.create(
        round_decision=round_decision,
        application=application,
        rank=next(_ranks),
        score="80.00",
        eligible_cost_yen=amount_yen * 2,
        rate="1/2",
        proposed_yen=amount_yen,
        amount_yen=amount_yen,
        outcome="awarded",
        sheet={},
        meeting=round_decision.meeting,
    )


def awarded(
    programme: Programme,
    *,
    amount_yen: int,
    by: User,
    round_obj: Round | None = None,
    status: str = workflow.ACCEPTED,
    company_name: str | None = None,
) -> Application:
    """An application with an awarded decision of `amount_yen`, in `status` (accepted)."""
    round_obj = round_obj or open_round(programme)
    application = make_application(programme, round_obj=round_obj, status=status, company_name=company_name)
    award_decision(application, amount_yen=amount_yen, by=by)
    return application


def accepted_with_instalments(
    programme: Programme, *, amount_yen: int, by: User, **kwargs
) -> list[Instalment]:
    application = awarded(programme, amount_yen=amount_yen, by=by, **kwargs)
    return instalments.create_instalments(application)


def next_business_day() -> dt.date:
    return add_business_days(timezone.localdate(), 1)
