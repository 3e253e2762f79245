"""What the public API accepts (issue 9, items 30 and 11): JSON bodies only (415 otherwise), a
body no larger than the cap (413, refused before it is read), a rate per client address (429 with
Retry-After), and every problem detail in one language, the request's."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/api/v1/rounds/dx-2025-r1/eligibility-check"
VALID = {
    "entity_type": "corporation",
    "employees": 20,
    "capital_yen": 10_000_000,
    "antisocial_ties": False,
    "legal_compliance": True,
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def is_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return body


def texts_of(problem: dict) -> list[str]:
    texts = [problem["title"], problem.get("detail", "")]
    texts += [error["message"] for error in problem.get("errors", [])]
    return [text for text in texts if text]


# --- Item 30: JSON only --------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_that_is_not_declared_json_is_refused_415(client, programme, content_type):
    response = client.generic("POST", URL, json.dumps(VALID), content_type=content_type)
    problem = is_problem(response, 415)
    assert "application/json" in problem["detail"]


def test_json_with_a_charset_is_accepted(client, programme):
    response = client.post(URL, json.dumps(VALID), content_type="application/json; charset=utf-8")
    assert response.status_code == 200 and response.json()["eligible"] is True


# --- Item 30: the size of a body ------------------------------------------------------------------


class UnreadBody(io.RawIOBase):
    """A body that fails the test if the server reads any of it."""

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        raise AssertionError("the server read the body of a request it should have refused")

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def test_a_body_over_the_cap_is_refused_413_before_it_is_read(client, programme, settings):
    settings.DXGRANT_API_MAX_BODY_BYTES = 16 * 1024
    response = client.generic(
        "POST",
        URL,
        content_type="application/json",
        CONTENT_LENGTH=str(150 * 1024 * 1024),
        **{"wsgi.input": UnreadBody()},
    )
    problem = is_problem(response, 413)
    assert "16,384" in problem["detail"]


def test_a_body_just_under_the_cap_is_read(client, programme, settings):
    body = json.dumps(VALID)
    settings.DXGRANT_API_MAX_BODY_BYTES = len(body.encode())
    assert client.post(URL, body, content_type="application/json").status_code == 200


# --- Item 30: the rate of a client ----------------------------------------------------------------


def test_a_client_over_the_rate_gets_429_with_retry_after(programme, settings):
    settings.DXGRANT_API_RATE_PER_MINUTE = 5
    first, second = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.8")
    answers = [first.get("/api/v1/programme").status_code for _ in range(5)]
    assert answers == [200] * 5
    refused = first.post(URL, json.dumps(VALID), content_type="application/json")
    problem = is_problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "5回" in problem["detail"]
    # Another address has its own count.
    assert second.get("/api/v1/programme").status_code == 200


def test_the_rate_starts_again_in_the_next_minute(programme, settings, time_machine):
    settings.DXGRANT_API_RATE_PER_MINUTE = 2
    time_machine.move_to("2026-11-30 10:00:05+09:00", tick=False)
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [client.get("/api/v1/programme").status_code for _ in range(3)] == [200, 200, 429]
    time_machine.move_to("2026-11-30 10:01:00+09:00", tick=False)
    assert client.get("/api/v1/programme").status_code == 200


# --- Item 11: one language, the request's ---------------------------------------------------------


BAD_BODIES = [
    pytest.param({k: v for k, v in VALID.items() if k != "employees"}, "employees", id="missing"),
    pytest.param(VALID | {"employees": -1}, "employees", id="negative"),
    pytest.param(VALID | {"employees": "20"}, "employees", id="string-for-int"),
    pytest.param(VALID | {"antisocial_ties": "no"}, "antisocial_ties", id="string-for-bool"),
    pytest.param(VALID | {"surprise": 1}, "surprise", id="extra"),
    pytest.param(VALID | {"entity_type": "npo"}, "entity_type", id="unknown-entity"),
    pytest.param(VALID | {"capital_yen": None}, "capital_yen", id="corporation-without-capital"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_problems_are_in_english_when_asked(client, programme, body, field):
    response = client.post(URL, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    problem = is_problem(response, 422)
    assert response["Content-Language"] == "en"
    assert [error["field"] for error in problem["errors"]] == [field]
    for text in texts_of(problem):
        assert not JAPANESE.search(text), text
    assert field in problem["errors"][0]["message"]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_problems_are_in_japanese_by_default(client, programme, body, field):
    response = client.post(URL, json.dumps(body), content_type="application/json")
    problem = is_problem(response, 422)
    for text in texts_of(problem):
        assert JAPANESE.search(text), text
    message = problem["errors"][0]["message"]
    assert "Field required" not in message and "Input should" not in message
    assert field in message


def test_pydantic_wording_is_replaced(client, programme):
    missing = client.post(
        URL,
        json.dumps({k: v for k, v in VALID.items() if k != "employees"}),
        content_type="application/json",
    ).json()
    assert missing["errors"] == [
        {"field": "employees", "message": "「employees」がありません。値を入れて送ってください。"}
    ]
    negative = client.post(
        URL, json.dumps(VALID | {"employees": -1}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert negative["errors"] == [
        {"field": "employees", "message": 'Send "employees" as a number of 0 or more.'}
    ]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_kind_of_problem_speaks_the_request_language(client, programme, settings, language):
    settings.DXGRANT_API_RATE_PER_MINUTE = 100
    problems = [
        client.generic("POST", URL, "{}", content_type="text/plain", HTTP_ACCEPT_LANGUAGE=language),
        client.post(URL, "{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE=language),
        client.post(
            "/api/v1/rounds/no-such-round/eligibility-check",
            json.dumps(VALID),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        ),
        client.get("/api/v1/postal-codes/12", HTTP_ACCEPT_LANGUAGE=language),
        client.get("/api/v1/postal-codes/0000000", HTTP_ACCEPT_LANGUAGE=language),
        client.get("/api/v1/advisors/99999", HTTP_ACCEPT_LANGUAGE=language),
    ]
    for response in problems:
        assert response["Content-Type"].startswith("application/problem+json"), response.content
        for text in texts_of(response.json()):
            assert bool(JAPANESE.search(text)) == (language == "ja"), (response.status_code, text)


# --- Item 11: a sole proprietor has no capital to send --------------------------------------------


def test_a_sole_proprietor_need_not_send_capital(client, programme):
    body = {k: v for k, v in VALID.items() if k != "capital_yen"} | {"entity_type": "sole_proprietor"}
    response = client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"eligible": True, "reasons": []}


def test_a_corporation_must_still_send_capital(client, programme):
    body = {k: v for k, v in VALID.items() if k != "capital_yen"}
    problem = is_problem(client.post(URL, json.dumps(body), content_type="application/json"), 422)
    assert [error["field"] for error in problem["errors"]] == ["capital_yen"]


def test_the_schema_does_not_require_capital(client, programme):
    schema = client.get("/api/v1/openapi.json").json()
    check_in = schema["components"]["schemas"]["EligibilityCheckIn"]
    assert "capital_yen" not in check_in.get("required", [])
