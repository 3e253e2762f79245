"""Accepted awards with instalments, and the minimal payee fixture the payment tests use until
the payee account (awards.PayeeAccount) is wired into `batches._payee_snapshot`."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Instalment
from dxgrant.awards.services import batches, instalments
from dxgrant.decisions.models import Decision, Meeting, RoundDecision
from dxgrant.japan.business_days import add_business_days
from dxgrant.programs.models import Programme, Round
from tests.factories.applications import make_application
from tests.factories.rounds import open_round

_ranks = itertools.count(1)

# application pk → the payee account the payment tests pretend is confirmed.
PAYEES: dict[int, batches.PayeeSnapshot] = {}


@pytest.fixture
def payees(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[int, batches.PayeeSnapshot]]:
    """Route `_payee_snapshots` to PAYEES for the test (the one function the lead wires): one
    query for the whole list, as the real one will make."""

    def snapshots(application_ids):
        return {
            pk: PAYEES[pk]
            for pk in Application.objects.filter(pk__in=application_ids).values_list("pk", flat=True)
            if pk in PAYEES
        }

    PAYEES.clear()
    monkeypatch.setattr(batches, "_payee_snapshots", snapshots)
    yield PAYEES
    PAYEES.clear()


def payee(holder: str = "ｶ)ﾃｽﾄｾｲｻｸｼﾖ", **change: str) -> batches.PayeeSnapshot:
    values = {
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "1234567",
        "holder_kana": holder,
    }
    return batches.PayeeSnapshot(**(values | change))


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
    Decision.objects.create(
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
    return application


def accepted_with_instalments(
    programme: Programme, *, amount_yen: int, by: User, **kwargs
) -> list[Instalment]:
    application = awarded(programme, amount_yen=amount_yen, by=by, **kwargs)
    return instalments.create_instalments(application)


def next_business_day() -> dt.date:
    return add_business_days(timezone.localdate(), 1)
