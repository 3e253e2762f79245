"""The advisor pages' query counts do not grow with the data (the exact counts per page are in
tests/pages/advisors.py and checked by tests/test_query_counts.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import FirmReviewEvent, ProposedAdvisor
from tests.factories.advisors import attach_document, certified_firm, submitted_firm

pytestmark = pytest.mark.django_db


def count(client: Client, url: str) -> int:
    client.get("/robots-warmup-404")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_the_public_register_stays_flat(client, programme):
    certified_firm(programme)
    small = count(client, "/advisors/")
    for state in ("active", "suspended", "revoked", "expired") * 10:
        certified_firm(programme, state=state)
    assert count(client, "/advisors/") == small
    assert count(client, "/advisors/?q=DX&prefecture=東京都&status=active") == small


def test_the_review_queue_stays_flat(client_for, programme):
    client = client_for(Role.SECRETARIAT)
    submitted_firm(programme)
    small = count(client, "/advisors/review/")
    for _ in range(30):
        submitted_firm(
            programme,
            fee_fixed_yen=900_000,
            fee_fixed_timing="before_decision",
            charges_before_decision=True,
        )
    large = count(client, "/advisors/review/")
    assert large == small
    assert "900,000円" in client.get("/advisors/review/").content.decode()


def test_a_registration_and_its_review_stay_flat_with_many_advisors_documents_and_decisions(
    client_for, programme
):
    firm = submitted_firm(programme)
    registrant = Client()
    registrant.force_login(firm.created_by)
    staff = client_for(Role.SECRETARIAT)
    urls = [
        (registrant, f"/advisors/registration/{firm.pk}/"),
        (registrant, f"/advisors/registration/{firm.pk}/advisors/"),
        (registrant, f"/advisors/registration/{firm.pk}/documents/"),
        (staff, f"/advisors/review/{firm.pk}/"),
    ]
    before = [count(c, u) for c, u in urls]
    for n in range(15):
        ProposedAdvisor.objects.create(firm=firm, name=f"候補{n}", email=f"c{n}@example.jp")
        attach_document(firm, "qualifications")
        FirmReviewEvent.objects.create(firm=firm, action="changes_requested", reason=f"{n}", actor=staff.user)
    assert [count(c, u) for c, u in urls] == before
