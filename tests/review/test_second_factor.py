"""Reviewers need a second factor: the middleware (accounts/middleware.py) sends a reviewer
without one to enrol before any page, and back afterwards."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from dxgrant.accounts.roles import MFA_REQUIRED_ROLES, Role
from tests.factories import UserFactory


def test_reviewer_role_requires_a_second_factor() -> None:
    assert Role.REVIEWER in MFA_REQUIRED_ROLES


def test_a_reviewer_without_a_second_factor_is_sent_to_enrol(db: None) -> None:
    reviewer = UserFactory(role=Role.REVIEWER, mfa=False)
    client = Client()
    client.force_login(reviewer)
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?next=/me/"
