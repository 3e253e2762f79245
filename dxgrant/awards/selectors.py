"""Reads of the records that follow a decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from dxgrant.applications.models import Application
from dxgrant.integrity.models import AuditEntry

from . import payee_rules
from .models import PayeeAccount

# --- payee ---


def current_payee(application: Application) -> PayeeAccount | None:
    """The application's current payee account, or None when none is registered."""
    return PayeeAccount.objects.filter(application=application, is_current=True).first()


def current_payees(application_ids: Iterable[int]) -> dict[int, PayeeAccount]:
    """The current payee account of each application that has one, by application id (one query)."""
    accounts = PayeeAccount.objects.filter(application_id__in=list(application_ids), is_current=True)
    return {account.application_id: account for account in accounts}


def payee_ready_for_payment(account: PayeeAccount) -> bool:
    """True when a transfer may be made to this account: it is the application's current one, its
    holder matched the company (or the secretariat overrode the mismatch with a reason), and a change
    made after acceptance has been acknowledged by the secretariat."""
    if not account.is_current:
        return False
    if not account.holder_matches and not account.override_reason:
        return False
    return account.acknowledged


def changes_awaiting_acknowledgement() -> QuerySet[PayeeAccount]:
    """Current accounts changed after acceptance that the secretariat has not acknowledged yet,
    oldest first, with their application and round (the staff list; one query)."""
    return (
        PayeeAccount.objects.filter(is_current=True, needs_acknowledgement=True, acknowledged_at__isnull=True)
        .select_related("application", "application__round", "created_by")
        .order_by("created_at", "id")
    )


def previous_payee(account: PayeeAccount) -> PayeeAccount | None:
    """The account this one replaced, if any."""
    return (
        PayeeAccount.objects.filter(
            application_id=account.application_id, is_current=False, created_at__lte=account.created_at
        )
        .exclude(pk=account.pk)
        .order_by("-created_at", "-id")
        .first()
    )


# --- acceptance ---


@dataclass(frozen=True)
class AcceptancePeriod:
    """When the application was notified (Asia/Tokyo) and the last day to accept; None when the
    notification is not on record."""

    notified_on: dt.date | None
    last_day: dt.date | None

    def open_on(self, day: dt.date) -> bool:
        return self.last_day is not None and day <= self.last_day


def acceptance_period(application: Application) -> AcceptancePeriod:
    """From the application's `notify` transition (its audit entry, written by the workflow
    service) and the round's `acceptance_days`."""
    notified_at = (
        AuditEntry.objects.filter(
            action="application.notify",
            object_type=Application._meta.label_lower,
            object_id=str(application.pk),
        )
        .order_by("-seq")
        .values_list("created_at", flat=True)
        .first()
    )
    if notified_at is None:
        return AcceptancePeriod(None, None)
    notified_on = timezone.localdate(notified_at)
    days = application.round.rules.awards.acceptance_days
    return AcceptancePeriod(notified_on, payee_rules.acceptance_last_day(notified_on, days))
