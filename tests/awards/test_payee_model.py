"""The payee account's invariants (database constraints) and its selectors."""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError, transaction

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards import selectors
from dxgrant.awards.models import PayeeAccount
from tests.factories.applications import make_application


@pytest.fixture
def application(programme):
    return make_application(programme, status=workflow.NOTIFIED)


def _account(application, user, **fields) -> PayeeAccount:
    values = {
        "application": application,
        "bank_code": "0001",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "1234567",
        "holder_kana": "ｶ)ﾃｽﾄ",
        "created_by": user,
    } | fields
    return PayeeAccount.objects.create(**values)


def test_one_current_account_per_application(application, make_user):
    user = make_user(Role.APPLICANT)
    _account(application, user)
    with pytest.raises(IntegrityError), transaction.atomic():
        _account(application, user, account_number="7654321")
    _account(application, user, account_number="7654321", is_current=False)
    assert PayeeAccount.objects.filter(application=application).count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"account_number": "123456"},
        {"account_number": "12345678"},
        {"account_number": "１２３４５６７"},
        {"bank_code": "01"},
        {"branch_code": "0a1"},
        {"account_type": "3"},
        {"holder_kana": ""},
        {"holder_matches": False},
        {"holder_matches": False, "override_reason": "理由"},
        {"acknowledged_at": "2026-01-01T00:00:00Z"},
    ],
)
def test_constraints_refuse_malformed_rows(application, make_user, fields):
    """The database refuses each row: a CHECK constraint (IntegrityError), or on PostgreSQL the
    column's length itself for an eight-digit number (DataError; SQLite does not enforce lengths)."""
    user = make_user(Role.APPLICANT)
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        _account(application, user, **fields)


def test_current_payee_and_current_payees(application, programme, make_user):
    user = make_user(Role.APPLICANT)
    other = make_application(programme, status=workflow.NOTIFIED)
    none = make_application(programme, status=workflow.NOTIFIED)
    assert selectors.current_payee(application) is None
    _account(application, user, is_current=False, account_number="1111111")
    current = _account(application, user)
    theirs = _account(other, user)
    assert selectors.current_payee(application) == current
    assert selectors.current_payees([application.pk, other.pk, none.pk]) == {
        application.pk: current,
        other.pk: theirs,
    }


def test_payee_ready_for_payment(application, make_user):
    user = make_user(Role.APPLICANT)
    staff = make_user(Role.SECRETARIAT)
    old = _account(application, user, is_current=False, account_number="1111111")
    assert not selectors.payee_ready_for_payment(old)
    account = _account(application, user)
    assert selectors.payee_ready_for_payment(account)
    account.needs_acknowledgement = True
    assert not selectors.payee_ready_for_payment(account)
    account.acknowledged_by = staff
    account.acknowledged_at = account.created_at
    assert selectors.payee_ready_for_payment(account)
    overridden = PayeeAccount(
        application=application,
        holder_matches=False,
        override_reason="屋号の口座",
        overridden_by=staff,
        is_current=True,
    )
    assert selectors.payee_ready_for_payment(overridden)
    overridden.override_reason = ""
    assert not selectors.payee_ready_for_payment(overridden)
