"""Cancelling an award and the repayment demands (awards/cancellation_urls.py, namespace
"cancellation"). The cancellation form: the secretariat only. The list of demands: finance, the
secretariat and auditors read it; recording a repayment (its page and POST): finance only."""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.awards.models import RepaymentDemand
from dxgrant.awards.services import cancellation
from dxgrant.programs.models import Programme
from tests.awards.cancellation_builders import paid_award
from tests.factories import UserFactory
from tests.factories.rounds import open_round

from .base import ANON, Page

NAMESPACES = {"cancellation"}
SEEN = "session; user"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2

PAGES: dict[str, Page] = {
    "cancellation:cancel": Page(
        "/staff/awards/applications/{cancellation_award}/cancel/",
        4,
        Role.SECRETARIAT,
        why=f"{SEEN}; the application (staff_application); {HEADER}",
    ),
    "cancellation:repayments": Page(
        "/staff/awards/repayments/",
        5,
        Role.FINANCE,
        why=f"{SEEN}; demands with application and cancellation (one keyset page); their repayments; {HEADER}",
    ),
    "cancellation:record": Page(
        "/staff/awards/repayments/{cancellation_demand}/",
        5,
        Role.FINANCE,
        why=f"{SEEN}; the demand with its application; its repayments; {HEADER}",
    ),
}

CANCEL_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}
REPAYMENTS_READ = (
    {ANON: 302}
    | {r: 403 for r in Role.values}
    | {Role.FINANCE: 200, Role.SECRETARIAT: 200, Role.AUDITOR: 200}
)
FINANCE_ONLY = {ANON: 302} | {r: 403 for r in Role.values} | {Role.FINANCE: 200}

EXPECTED: dict[str, dict[str, int]] = {
    "cancellation:cancel": {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 200},
    "cancellation:repayments": REPAYMENTS_READ,
    "cancellation:record": FINANCE_ONLY,
}


def make_objects() -> dict[str, object]:
    """An award paid and not cancelled (to cancel); another paid and cancelled, with its demand."""
    programme = Programme.objects.get()
    secretariat = UserFactory(role=Role.SECRETARIAT)
    # A round of its own: the decisions pages count what their round holds.
    round_obj = open_round(programme, "dx-cancellation-pages", closed=True)
    to_cancel = paid_award(programme, secretariat, round_obj=round_obj)
    cancelled = paid_award(programme, secretariat, round_obj=round_obj)
    cancellation.cancel_decision(actor=secretariat, application=cancelled, reason="虚偽の申請のため。")
    demand = RepaymentDemand.objects.get(application=cancelled)
    return {"cancellation_award": to_cancel.pk, "cancellation_demand": demand.pk}
