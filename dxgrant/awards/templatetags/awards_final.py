"""`{% final_amount_of application as final %}`: the award's final amount (額の確定) with its
repayment demand's figures today, if any (None before the final amount is determined), for the
applicant's page and the secretariat's application page. Two queries where there is one."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from dxgrant.applications.models import Application

from .. import selectors
from ..final_models import FinalAmount
from ..models import Instalment, InstalmentStatus

register = template.Library()


@dataclass(frozen=True)
class FinalAmountView:
    final: FinalAmount
    remaining_yen: int
    demand: selectors.DemandRow | None


@register.simple_tag
def final_amount_of(application: Application) -> FinalAmountView | None:
    final = (
        FinalAmount.objects.select_related("demand")
        .prefetch_related("demand__repayments")
        .filter(application=application)
        .first()
    )
    if final is None:
        return None
    demand = getattr(final, "demand", None)
    remaining = sum(
        Instalment.objects.filter(
            application=application,
            status__in=(InstalmentStatus.PENDING, InstalmentStatus.DUE, InstalmentStatus.IN_BATCH),
        ).values_list("amount_yen", flat=True)
    )
    return FinalAmountView(final, remaining, selectors.demand_row(demand) if demand is not None else None)
