"""`{% final_amount_of application as final %}`: the award's final amount (額の確定) with its
repayment demand's figures today, if any (None before the final amount is determined), for the
applicant's page and the secretariat's application page. One query without a final amount;
four with one (the final amount, its demand, the demand's repayments, the unpaid instalments)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from dxgrant.applications.models import Application

from .. import selectors
from ..final_models import FinalAmount
from ..models import Instalment, InstalmentStatus, RepaymentDemand

register = template.Library()


@dataclass(frozen=True)
class FinalAmountView:
    final: FinalAmount
    remaining_yen: int
    demand: selectors.DemandRow | None


@register.simple_tag
def final_amount_of(application: Application) -> FinalAmountView | None:
    final = FinalAmount.objects.filter(application=application).first()
    if final is None:
        return None
    # Read apart (not joined): a page of an award without a final amount reads no demand table.
    demand = RepaymentDemand.objects.filter(final_amount=final).prefetch_related("repayments").first()
    remaining = sum(
        Instalment.objects.filter(
            application=application,
            status__in=(InstalmentStatus.PENDING, InstalmentStatus.DUE, InstalmentStatus.IN_BATCH),
        ).values_list("amount_yen", flat=True)
    )
    return FinalAmountView(final, remaining, selectors.demand_row(demand) if demand is not None else None)
