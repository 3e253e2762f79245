"""The sign-in lockout protects accounts without locking out everyone behind one address: an
account is locked from an address after repeated failures on it (reset by a success), and an
address is limited separately, more generously, whatever emails it tries."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

from dxgrant.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
WRONG = "wrong-password-1234"


def sign_in_from(address: str, email: str, password: str = PASSWORD, client: Client | None = None):  # type: ignore[no-untyped-def]
    client = client or Client()
    response = client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)
    response.client = client
    return response


def signed_in(response) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in response.client.session


def test_failures_with_unknown_emails_do_not_lock_out_another_persons_account(settings):
    """Five failed sign-ins with five different unknown emails used to lock the right password of
    anyone else behind the same address out for an hour."""
    someone = UserFactory(role=Role.APPLICANT)
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from("10.0.0.5", f"nobody{n}@example.jp", WRONG)
    response = sign_in_from("10.0.0.5", someone.email)
    assert response.status_code == 302 and signed_in(response)


def test_failures_on_one_account_lock_that_account_from_that_address(settings):
    victim = UserFactory(role=Role.APPLICANT)
    neighbour = UserFactory(role=Role.APPLICANT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from("10.0.0.5", victim.email.upper(), WRONG)  # however the address is typed
    # The lockout rows name the account.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {victim.email}
    locked = sign_in_from("10.0.0.5", victim.email)
    assert locked.status_code == 429 and not signed_in(locked)
    assert "一時的に停止" in locked.content.decode()
    # The admin's login is no way round it.
    admin_try = Client()
    admin_try.post(
        "/django-admin/login/", {"username": victim.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert "_auth_user_id" not in admin_try.session
    # Someone else behind the same address, and the same account from elsewhere, sign in.
    assert signed_in(sign_in_from("10.0.0.5", neighbour.email))
    assert signed_in(sign_in_from("10.0.0.6", victim.email))


def test_a_successful_sign_in_clears_the_failures_before_it(settings):
    user = UserFactory(role=Role.APPLICANT)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in_from("10.0.0.5", user.email, WRONG)
    assert signed_in(sign_in_from("10.0.0.5", user.email))
    assert not AccessAttempt.objects.filter(username=user.email).exists()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in_from("10.0.0.5", user.email, WRONG)
    assert signed_in(sign_in_from("10.0.0.5", user.email))


def test_an_address_trying_many_accounts_is_limited_separately_and_more_generously(settings):
    limit = settings.DXGRANT_LOGIN_FAILURES_PER_ADDRESS
    assert limit > settings.AXES_FAILURE_LIMIT
    someone = UserFactory(role=Role.APPLICANT)
    for n in range(limit - 1):
        sign_in_from("10.0.0.7", f"guess{n}@example.jp", WRONG)
    assert signed_in(sign_in_from("10.0.0.7", someone.email))  # still under the address's limit
    for n in range(limit):
        sign_in_from("10.0.0.7", f"again{n}@example.jp", WRONG)
    refused = sign_in_from("10.0.0.7", someone.email)
    assert not signed_in(refused)
    page = refused.content.decode()
    assert "このネットワーク" in page and "1時間" in page
    # Another address is not affected.
    assert signed_in(sign_in_from("10.0.0.8", someone.email))
