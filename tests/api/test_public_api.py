import json

import pytest
import time_machine

pytestmark = pytest.mark.django_db

VALID = {
    "entity_type": "corporation",
    "employees": 20,
    "capital_yen": 10_000_000,
    "antisocial_ties": False,
    "legal_compliance": True,
}


def post_check(client, body, code="dx-2025-r1", **headers):
    return client.post(
        f"/api/v1/rounds/{code}/eligibility-check",
        data=json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
        **headers,
    )


@time_machine.travel("2026-11-25 12:00:00+09:00", tick=False)
def test_programme_lists_rounds_with_status(client, programme):
    response = client.get("/api/v1/programme")
    assert response.status_code == 200
    body = response.json()
    assert body["max_award_yen"] == 100_000_000
    round1 = next(r for r in body["rounds"] if r["code"] == "dx-2025-r1")
    assert round1 == {
        "code": "dx-2025-r1",
        "name": "2025年度 第1回公募",
        "application_opens": "2025-11-01",
        "application_closes": "2026-04-30",
        "programme_period_starts": "2025-11-01",
        "programme_period_ends": "2027-04-30",
        "max_award_yen": 100_000_000,
        "status": "closed",
    }


@time_machine.travel("2026-01-15 12:00:00+09:00", tick=False)
def test_programme_status_is_open_inside_the_window(client, programme):
    assert client.get("/api/v1/programme").json()["rounds"][0]["status"] == "open"


def test_eligible(client, programme):
    response = post_check(client, VALID)
    assert response.status_code == 200
    assert response.json() == {"eligible": True, "reasons": []}


def test_ineligible_lists_each_failed_rule(client, programme):
    response = post_check(
        client, VALID | {"employees": 101, "capital_yen": 50_000_000, "antisocial_ties": True}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["eligible"] is False
    assert [r["code"] for r in body["reasons"]] == ["employees_max", "capital_max", "no_antisocial_ties"]
    assert "100人以下" in body["reasons"][0]["message"]


def test_messages_in_english_on_request(client, programme):
    response = post_check(client, VALID | {"employees": 101}, HTTP_ACCEPT_LANGUAGE="en")
    assert "100 or fewer" in response.json()["reasons"][0]["message"]


def test_sole_proprietor_without_capital_is_fine(client, programme):
    response = post_check(client, VALID | {"entity_type": "sole_proprietor", "capital_yen": None})
    assert response.json() == {"eligible": True, "reasons": []}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({k: v for k, v in VALID.items() if k != "employees"}, {"employees"}),
        (VALID | {"surprise": 1}, {"surprise"}),
        (VALID | {"employees": "20"}, {"employees"}),
        (VALID | {"employees": True}, {"employees"}),
        (VALID | {"employees": -1}, {"employees"}),
        (VALID | {"capital_yen": -5}, {"capital_yen"}),
        (VALID | {"antisocial_ties": "no"}, {"antisocial_ties"}),
        (VALID | {"capital_yen": None}, {"capital_yen"}),
        (VALID | {"entity_type": "npo"}, {"entity_type"}),
    ],
)
def test_bad_input_is_a_problem_naming_each_field(client, programme, body, fields):
    response = post_check(client, body)
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == response.status_code
    assert {e["field"] for e in problem["errors"]} == fields


def test_malformed_json_is_a_problem(client, programme):
    response = post_check(client, "{not json")
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")


def test_unknown_round_is_404_problem(client, programme):
    response = post_check(client, VALID, code="no-such-round")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


def test_openapi_schema_describes_the_endpoints(client, programme):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/programme" in schema["paths"]
    check = schema["paths"]["/api/v1/rounds/{code}/eligibility-check"]["post"]
    assert {"200", "404", "422"} <= set(check["responses"])


def test_postal_code_lookup(client, db):
    response = client.get("/api/v1/postal-codes/100-0001")
    assert response.status_code == 200
    body = response.json()
    assert (body["prefecture"], body["city"], body["town"]) == ("東京都", "千代田区", "千代田")
    assert client.get("/api/v1/postal-codes/１０００００１").json()["city"] == "千代田区"


def test_postal_code_errors_are_problems(client, db):
    bad = client.get("/api/v1/postal-codes/12")
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    unknown = client.get("/api/v1/postal-codes/0000000")
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/problem+json")
