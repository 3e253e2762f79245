# ruff: noqa: F811  (the fixtures imported from tests/decisions/conftest.py)
"""GET /api/v1/rounds/{code}/results: 404 problem+json before publication; after it, exactly the
issue's fields, names for awarded entries only, and amounts anyone can recompute from the
published rule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from dxgrant.decisions.services import deciding, meetings, overrides, publishing
from tests.decisions.conftest import committee_round, secretariat  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

ENTRY_FIELDS = {
    "rank", "score", "eligible_cost_yen", "rate", "proposed_yen", "amount_yen", "outcome", "override_reason",
}  # fmt: skip
NAMED = {"company_name", "corporate_number", "prefecture", "receipt_number"}


def decide(round_obj, secretariat):
    meetings.record_meeting(
        actor=secretariat, round_obj=round_obj, held_on=timezone.localdate(), members="委員", minutes="議事"
    )
    return deciding.decide_round(actor=secretariat, round_obj=round_obj)


def url(round_obj):
    return f"/api/v1/rounds/{round_obj.code}/results"


def test_not_found_before_publication_even_when_decided(client, committee_round, secretariat):
    round_obj, _apps = committee_round
    response = client.get(url(round_obj))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404
    decide(round_obj, secretariat)
    assert client.get(url(round_obj)).status_code == 404
    assert client.get(f"/rounds/{round_obj.code}/results/").status_code == 404


def test_published_results_fields_and_recomputation(client, committee_round, secretariat):
    round_obj, apps = committee_round
    overrides.record_override(
        actor=secretariat,
        application=apps["A"],
        forced_outcome="",
        decided_yen=5_500_000,
        reason="一部経費を対象外とした",
    )
    decide(round_obj, secretariat)
    publishing.publish_round(actor=secretariat, round_obj=round_obj)
    body = client.get(url(round_obj)).json()
    assert set(body) == {"round", "published_at", "budget_yen", "awarded_total_yen", "amount_rule", "entries"}
    assert body["budget_yen"] == 10_000_000
    assert [e["rank"] for e in body["entries"]] == [1, 2, 3, 4]
    rule = body["amount_rule"]
    awarded_total = 0
    for entry in body["entries"]:
        if entry["outcome"] == "awarded":
            assert set(entry) == ENTRY_FIELDS | NAMED
            awarded_total += entry["amount_yen"]
        else:
            assert set(entry) == ENTRY_FIELDS and entry["amount_yen"] == 0
        assert entry["score"] == f"{Decimal(entry['score']):.2f}"
        # Anyone can recompute the rule's amount from the published rule and the entry.
        numerator, denominator = (int(x) for x in entry["rate"].split("/"))
        raw = Fraction(entry["eligible_cost_yen"] * numerator, denominator)
        amount = min(int(raw / rule["rounding_unit_yen"]) * rule["rounding_unit_yen"], rule["cap_yen"])
        passed = Decimal(entry["score"]) >= rule["pass_score"] and entry["outcome"] != "disqualified"
        expected = amount if passed and amount >= rule["floor_yen"] else 0
        assert entry["proposed_yen"] == expected
        assert entry["amount_yen"] <= entry["proposed_yen"]
        if entry["amount_yen"] != entry["proposed_yen"] and entry["outcome"] == "awarded":
            assert entry["override_reason"]
    assert body["awarded_total_yen"] == awarded_total == 5_500_000 + 3_000_000
    first = body["entries"][0]
    assert first["company_name"] == "株式会社A" and first["amount_yen"] == 5_500_000
    assert first["override_reason"] == "一部経費を対象外とした"
    assert "株式会社D" not in str(body)
    page = client.get(f"/rounds/{round_obj.code}/results/")
    assert (
        page.status_code == 200
        and "株式会社A" in page.content.decode()
        and "株式会社D" not in page.content.decode()
    )


def test_results_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/rounds/{code}/results" in schema["paths"]
