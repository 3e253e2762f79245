"""The committee page stays flat as applications grow, and the pages say what they refuse."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role

from .builders import all_at, reviewed, reviewers

pytestmark = pytest.mark.django_db


def count(client, url):
    client.get("/robots-warmup-404")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_committee_page_is_flat_and_what_if_saves_nothing(
    committee_round, client_for, programme, secretariat
):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/"
    small, _ = count(client, url)
    people = reviewers(3)
    for _ in range(6):
        reviewed(
            programme,
            round_obj,
            eligible_yen=3_000_000,
            scores=[all_at(round_obj, 4)] * 3,
            people=people,
            secretariat=secretariat,
        )
    large, _ = count(client, url)
    assert small == large
    _, body = count(client, url + "?budget=14,000,000")
    assert "保存されていません" in body
    round_obj.refresh_from_db()
    assert round_obj.budget_yen == 10_000_000


def test_override_above_the_rule_is_refused_on_the_page(committee_round, client_for):
    round_obj, apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/applications/{apps['A'].pk}/override/"
    response = client.post(url, {"forced_outcome": "", "decided_yen": "6,000,001", "reason": "増額"})
    assert response.status_code == 400
    assert "算定額（6,000,000円）以下" in response.content.decode()


def test_exports_csv_bom_and_xlsx(committee_round, client_for):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    csv = client.get(f"/staff/decisions/{round_obj.code}/export/decisions.csv")
    assert csv.content.startswith("\ufeff".encode()) and "株式会社A" in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"/staff/decisions/{round_obj.code}/export/scores.xlsx")
    assert xlsx.content[:2] == b"PK"
