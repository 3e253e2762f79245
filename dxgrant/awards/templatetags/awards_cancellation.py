"""`{% repayment_figures application as row %}`: the application's repayment demand with its
figures today (None without a demand), for the applicant's page; `{% repayment_account application
as account %}`: where to pay it."""

from __future__ import annotations

from django import template

from dxgrant.applications.models import Application

from .. import selectors
from ..models import RepaymentDemand

register = template.Library()


@register.simple_tag
def repayment_figures(application: Application) -> selectors.DemandRow | None:
    demand = RepaymentDemand.objects.filter(application=application).prefetch_related("repayments").first()
    return selectors.demand_row(demand) if demand is not None else None


@register.simple_tag
def repayment_account(application: Application) -> selectors.RepaymentAccount | None:
    return selectors.repayment_account(application)
