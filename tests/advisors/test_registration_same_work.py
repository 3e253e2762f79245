"""Starting a registration with an address that already has an account and with a new one does
the same observable work (one password hash, one email task), so the time the answer takes does
not tell a visitor which addresses have accounts. Counted, not timed."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from dxgrant.accounts.models import Role
from tests.advisors.test_registration import START, start_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """The test suite's fast hasher, counting each password it hashes."""

    algorithm = "counting_md5"
    hashed: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed.append(password)
        return super().encode(password, salt)


def start(client: Client, capture: Any, email: str) -> tuple[int, int, str]:
    """(passwords hashed, tasks enqueued, where the visitor is sent) for one start."""
    CountingHasher.hashed.clear()
    with capture() as tasks:
        response = client.post(START, start_data(email=email))
    return len(CountingHasher.hashed), len(tasks), response["Location"]


@pytest.mark.parametrize("existing_role", [Role.APPLICANT, Role.ADVISOR, Role.SECRETARIAT])
def test_an_existing_address_and_a_new_one_do_the_same_work(
    programme, settings, django_capture_on_commit_callbacks, existing_role
):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    owner = UserFactory(role=existing_role, email="owner@example.jp")
    new = start(Client(), django_capture_on_commit_callbacks, "newcomer@example.jp")
    existing = start(Client(), django_capture_on_commit_callbacks, owner.email)
    assert new == existing == (1, 1, "/advisors/registration/start/sent/")
