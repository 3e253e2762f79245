"""Awards whose final amount is to be determined: decided 5,000,000円 (score 80, the demo rule
2/3), accepted with their instalments, the first paid (ORM, as cancellation_builders does)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Instalment, InstalmentStatus
from dxgrant.programs.models import Programme, Round
from tests.factories.rounds import open_round

from .payments_builders import accepted_with_instalments

DECIDED = 5_000_000

TWO_INSTALMENTS = [
    {
        "code": "advance",
        "label_ja": "概算払",
        "label_en": "Advance",
        "share_percent": 60,
        "due_after": "acceptance",
    },
    {
        "code": "final",
        "label_ja": "精算払",
        "label_en": "Final payment",
        "share_percent": 40,
        "due_after": "results_report_approved",
    },
]


def two_instalment_round(programme: Programme) -> Round:
    round_obj = open_round(programme, "FINAL-TWO")
    round_obj.award_rules = dict(round_obj.award_rules or {}) | {"instalments": TWO_INSTALMENTS}
    round_obj.save(update_fields=["award_rules"])
    return Round.objects.get(pk=round_obj.pk)


def paid_award(programme: Programme, by: User, *, two: bool = False, pay_first: bool = True) -> Application:
    """Decided 5,000,000円: one payment of it (the default round) or 3,000,000 + 2,000,000 after
    the results report (`two`); the first paid a week ago unless not `pay_first`."""
    round_obj = two_instalment_round(programme) if two else None
    first, *_rest = accepted_with_instalments(programme, amount_yen=DECIDED, by=by, round_obj=round_obj)
    if pay_first:
        Instalment.objects.filter(pk=first.pk).update(
            status=InstalmentStatus.PAID, paid_on=timezone.localdate() - dt.timedelta(days=7)
        )
        Application.objects.filter(pk=first.application_id).update(status=workflow.REPORTING)
    return Application.objects.get(pk=first.application_id)


def instalments_of(application: Application) -> list[tuple[str, int, str]]:
    return list(
        Instalment.objects.filter(application=application)
        .order_by("position")
        .values_list("code", "amount_yen", "status")
    )
