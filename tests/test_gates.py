"""The door every staff and member page goes through (core/gates.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from dxgrant.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_signing_in_comes_back_to_the_same_page_with_its_whole_query(programme):
    # As a browser sends it: the Japanese percent-encoded in UTF-8.
    response = Client().get("/staff/applications/?status=submitted&q=%E3%81%95%E3%81%8F%E3%82%89")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [
        "/staff/applications/?status=submitted&q=%E3%81%95%E3%81%8F%E3%82%89"
    ]


def test_a_role_the_policy_refuses_sees_the_reason(client_for, programme):
    response = client_for(Role.APPLICANT).get("/staff/applications/")
    assert response.status_code == 403
    assert "事務局と監査担当者" in response.content.decode()
