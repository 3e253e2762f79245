import pytest

from tests.factories.rounds import OPEN_ROUND, open_round

pytestmark = pytest.mark.django_db
URL = "/rounds/dx-2025-r1/self-check/"

OK = {
    "entity_type": "corporation",
    "employees": "20",
    "capital_yen": "10000000",
    "antisocial_ties": "no",
    "legal_compliance": "yes",
}


def test_the_form_asks_the_rounds_questions(client, programme):
    page = client.get(URL).content.decode()
    for label in ("事業者の形態", "常時使用する従業員数", "資本金", "反社会的勢力", "法令"):
        assert label in page
    # Capital is required for corporations: the page must not call it optional.
    assert "（任意）" not in page


def test_eligible(client, programme):
    page = client.post(URL, OK).content.decode()
    assert "基本要件を満たしています" in page


def test_ineligible_gives_each_reason(client, programme):
    response = client.post(
        URL, OK | {"employees": "150", "capital_yen": "60000000", "legal_compliance": "no"}
    )
    page = response.content.decode()
    assert "基本要件を満たしていません" in page
    assert "100人以下" in page and "5,000万円未満" in page and "法令および公序良俗" in page
    assert 'data-code="employees_max"' in page and 'data-code="no_antisocial_ties"' not in page


def test_full_width_digits_and_commas_are_accepted(client, programme):
    page = client.post(
        URL, OK | {"employees": "２０", "capital_yen": "３０，０００，０００"}
    ).content.decode()
    assert "基本要件を満たしています" in page


def test_capital_is_required_for_a_corporation_only(client, programme):
    page = client.post(URL, OK | {"capital_yen": ""}).content.decode()
    assert "入力内容を確認してください" in page
    assert 'href="#id_capital_yen"' in page
    assert 'id="self-check-result"' not in page
    page = client.post(URL, OK | {"entity_type": "sole_proprietor", "capital_yen": ""}).content.decode()
    assert "基本要件を満たしています" in page


def test_nonsense_is_explained_not_evaluated(client, programme):
    page = client.post(URL, OK | {"employees": "たくさん", "antisocial_ties": ""}).content.decode()
    assert "数字で入力してください" in page
    assert "「はい」か「いいえ」を選んでください" in page
    assert 'id="self-check-result"' not in page


def test_htmx_gets_only_the_form_body(client, programme):
    response = client.post(URL, OK, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "基本要件を満たしています" in page
    assert "<html" not in page


def test_the_start_link_goes_to_the_open_round(client, programme):
    # Round 1 has closed (April 2026): the start link leads to a round open today, not to it.
    open_round(programme)
    response = client.get("/self-check/")
    assert response.status_code == 302 and response["Location"] == f"/rounds/{OPEN_ROUND}/self-check/"
