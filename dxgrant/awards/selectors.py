"""Reads for the pages that follow a decision, filtered by what the person may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from dxgrant.accounts.models import Visitor
from dxgrant.core.pagination import KeysetPage, keyset_page

from . import policies
from .models import Instalment, InstalmentStatus, PaymentBatch, Transfer

# --- payments ---

BATCHES_PER_PAGE = 50


def get_batch_for(user: Visitor, pk: int) -> PaymentBatch:
    """The batch with its people, if `user` may see it; 404 for missing and forbidden alike."""
    batch = (
        policies.batches_visible_to(user).select_related("prepared_by", "approved_by").filter(pk=pk).first()
    )
    if batch is None:
        raise Http404("batch")
    return batch


def batch_page(user: Visitor, cursor: str | None) -> KeysetPage[PaymentBatch]:
    return keyset_page(
        policies.batches_visible_to(user).select_related("prepared_by", "approved_by"),
        cursor=cursor,
        size=BATCHES_PER_PAGE,
    )


def transfers_of(batch: PaymentBatch) -> QuerySet[Transfer]:
    return batch.transfers.select_related("instalment__application").order_by("pk")


def due_instalments() -> list[Instalment]:
    return list(
        Instalment.objects.filter(status=InstalmentStatus.DUE).select_related("application").order_by("pk")
    )


def instalment_totals() -> dict[str, dict[str, int]]:
    """Number and yen of instalments by status, for the list page's summary."""
    rows = Instalment.objects.values("status").annotate(count=Count("pk"), yen=Sum("amount_yen"))
    return {row["status"]: {"count": row["count"], "yen": row["yen"] or 0} for row in rows}
