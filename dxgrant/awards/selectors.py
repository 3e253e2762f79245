"""Reads of the records that follow a decision."""

from __future__ import annotations

from collections.abc import Iterable

from dxgrant.applications.models import Application

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
