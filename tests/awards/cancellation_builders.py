"""Awards to cancel: accepted with instalments, some of them paid (the payment's end state set
with the ORM: tests/awards/test_payments.py holds the services that reach it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Instalment, InstalmentStatus
from dxgrant.programs.models import Programme, Round

from .payments_builders import accepted_with_instalments


def paid_award(
    programme: Programme,
    by: User,
    *,
    paid_yen: int = 1_000_000,
    pending_yen: int = 500_000,
    round_obj: Round | None = None,
) -> Application:
    """Accepted, its first instalment of `paid_yen` paid last week and a second of
    `pending_yen` waiting for the results report."""
    (first,) = accepted_with_instalments(programme, amount_yen=paid_yen, by=by, round_obj=round_obj)
    Instalment.objects.filter(pk=first.pk).update(
        status=InstalmentStatus.PAID, paid_on=timezone.localdate() - dt.timedelta(days=7)
    )
    if pending_yen:
        Instalment.objects.create(
            application_id=first.application_id,
            position=2,
            code="final",
            label_ja="精算払",
            label_en="Final payment",
            amount_yen=pending_yen,
            due_after="results_report_approved",
        )
    Application.objects.filter(pk=first.application_id).update(status=workflow.PAID)
    return Application.objects.get(pk=first.application_id)
