"""`{% repayment_rows application as rows %}`: the application's repayment demands with their
figures today, oldest first (a final amount's demand, then the rest demanded on cancelling
after it; empty without a demand), for the applicant's page; `{% repayment_account application
as account %}`: where to pay it."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from dxgrant.applications.models import Application

from .. import selectors
from ..models import RepaymentDemand

register = template.Library()


@dataclass(frozen=True)
class Repayments:
    rows: list[selectors.DemandRow]

    @property
    def open(self) -> bool:
        """Some demand still to be paid (where to pay is shown)."""
        return any(row.demand.settled_on is None for row in self.rows)


@register.simple_tag
def repayment_rows(application: Application) -> Repayments:
    demands = (
        RepaymentDemand.objects.filter(application=application)
        .order_by("demanded_on", "pk")
        .prefetch_related("repayments")
    )
    return Repayments([selectors.demand_row(demand) for demand in demands])


@register.simple_tag
def repayment_account(application: Application) -> selectors.RepaymentAccount | None:
    return selectors.repayment_account(application)
