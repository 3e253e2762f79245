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


# --- Messages that name the question and say what to do (issue 9, item 11) ------------------


def test_a_wrong_number_of_employees_is_explained_with_an_example_of_employees(client, programme):
    page = client.post(URL, OK | {"employees": "たくさん"}).content.decode()
    assert "「常時使用する従業員数（人）」は数字で入力してください（例: 25）。" in page
    assert "10000000" not in page.split('id="error-summary"')[1].split("</ul>")[0]


def test_a_corporation_without_capital_is_told_which_answer_asks_for_it(client, programme):
    page = client.post(URL, OK | {"capital_yen": ""}).content.decode()
    assert "「事業者の形態」が「法人」の場合は、「資本金（円）」を入力してください。" in page
    assert "ほかの質問への回答により" not in page


def test_every_message_names_its_question(client, programme):
    page = client.post(URL, {"employees": "-1"}).content.decode()
    for message in (
        "「事業者の形態」を選んでください。",
        "「常時使用する従業員数（人）」には0以上の数を入力してください。",
        "「反社会的勢力との関係がある」について、「はい」か「いいえ」を選んでください。",
        "「法令および公序良俗を遵守している」について、「はい」か「いいえ」を選んでください。",
    ):
        assert message in page
    # The summary does not name the question twice ("label: 「label」…").
    assert "事業者の形態: 「事業者の形態」" not in page


def test_the_messages_in_english(client, programme):
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    page = client.post(URL, OK | {"employees": "many", "capital_yen": ""}).content.decode()
    assert "Enter “Number of regular employees” as a number (for example 25)." in page
    assert "As “Type of business” is “Corporation”, enter “Capital (yen)”." in page
