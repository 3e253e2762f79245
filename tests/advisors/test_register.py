"""The public register (verify your advisor) and its API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from tests.factories.advisors import certified_firm, complete_firm, submitted_firm

pytestmark = pytest.mark.django_db


def test_every_certified_firm_is_listed_with_its_status_validity_fees_and_independence(client, programme):
    today = dt.date.today()
    active = certified_firm(
        programme, state="active", name="あおばDX株式会社", fee_fixed_yen=200_000, success_fee_percent=5
    )
    suspended = certified_firm(programme, state="suspended", name="かえでDX合同会社")
    revoked = certified_firm(programme, state="revoked", name="くすのきDX株式会社")
    expired = certified_firm(programme, state="expired", name="けやきDX株式会社")
    seller = certified_firm(
        programme,
        name="さくらITソリューションズ",
        sells_it_products=True,
        it_products_disclosure="自社開発の販売管理クラウド",
        fee_fixed_yen=500_000,
        fee_fixed_timing="before_decision",
        charges_before_decision=True,
    )
    submitted_firm(programme, name="審査中DX株式会社")
    complete_firm(programme, name="作成中DX株式会社")
    page = client.get("/advisors/").content.decode()
    for firm in (active, suspended, revoked, expired, seller):
        assert firm.name in page and firm.certification_number in page
    assert "審査中DX株式会社" not in page and "作成中DX株式会社" not in page
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(
            r"<tr>\s*<td[^>]*>(?:<span class=\"stack-label\">[^<]*</span>)?<a href=\"/advisors/([^/]+)/\".*?</tr>",
            page,
            re.S,
        )
    }
    assert "status--active" in rows[active.certification_number]
    assert "status--suspended" in rows[suspended.certification_number]
    assert (
        "status--revoked" in rows[revoked.certification_number]
        and "取消" in rows[revoked.certification_number]
    )
    assert "status--expired" in rows[expired.certification_number]
    assert (
        "200,000円" in rows[active.certification_number]
        and "成功報酬 5%" in rows[active.certification_number]
    )
    assert "交付決定前の報酬あり" in rows[seller.certification_number]
    assert f"{today.year}年" in rows[active.certification_number]

    detail = client.get(f"/advisors/{seller.certification_number}/").content.decode()
    assert "自社開発の販売管理クラウド" in detail and "500,000円" in detail
    assert "交付決定前（着手時など）" in detail
    assert "contact@firm.example.jp" not in detail  # the contact person's address is not published
    revoked_page = client.get(f"/advisors/{revoked.certification_number}/").content.decode()
    assert "取り消されました" in revoked_page


def test_the_register_searches_by_name_prefecture_number_and_status(client, programme):
    osaka = certified_firm(
        programme, name="なにわDX支援株式会社", name_kana="ナニワディーエックスシエン", prefecture="大阪府"
    )
    tokyo = certified_firm(programme, name="えどDX支援株式会社")
    revoked = certified_firm(programme, state="revoked", name="取消DX株式会社")

    def names(query: str) -> set[str]:
        page = client.get("/advisors/?" + query).content.decode()
        return {f.name for f in (osaka, tokyo, revoked) if f.name in page}

    assert names("q=なにわ") == {osaka.name}
    assert names("q=ナニワ") == {osaka.name}
    assert names("prefecture=大阪府") == {osaka.name}
    assert names("status=revoked") == {revoked.name}
    assert names("status=active") == {osaka.name, tokyo.name}
    # A certification number, even typed in lower case or full width.
    number = tokyo.certification_number
    assert names(f"q={number.lower()}") == {tokyo.name}
    full_width = number.translate(str.maketrans("0123456789-DXA", "０１２３４５６７８９－ＤＸＡ"))
    assert names(f"q={full_width}") == {tokyo.name}
    empty = client.get("/advisors/?q=存在しない").content.decode()
    assert "条件に合う認定事業者は見つかりませんでした" in empty


def test_the_register_pages_by_key(client, programme):
    firms = [certified_firm(programme, name=f"名簿テスト{n}") for n in range(5)]
    numbers = sorted(f.certification_number for f in firms)
    from dxgrant.advisors.selectors import public_register

    first = public_register(limit=2)
    assert [f.certification_number for f in first.items] == numbers[:2]
    assert first.next_cursor == numbers[1]
    second = public_register(after=first.next_cursor, limit=2)
    assert [f.certification_number for f in second.items] == numbers[2:4]
    last = public_register(after=second.next_cursor, limit=2)
    assert [f.certification_number for f in last.items] == numbers[4:] and last.next_cursor is None
    page = client.get(f"/advisors/?after={numbers[1]}").content.decode()
    shown = set(re.findall(r'href="/advisors/(DXA-[0-9-]+)/"', page))
    assert shown == set(numbers[2:])
    assert "最初から" in page


def test_an_unknown_number_is_404(client, programme):
    assert client.get("/advisors/DXA-2026-99999/").status_code == 404
    draft = submitted_firm(programme)
    assert client.get(f"/advisors/registration/{draft.pk}/").status_code == 302  # sign in first


def test_the_api_verifies_a_firm(programme):
    firm = certified_firm(programme, state="suspended", name="APIテストDX株式会社")
    response = Client().get(f"/api/v1/advisors/{firm.certification_number}")
    assert response.status_code == 200
    assert response.json() == {
        "certification_number": firm.certification_number,
        "firm_name": "APIテストDX株式会社",
        "status": "suspended",
        "valid_until": firm.valid_until.isoformat(),
    }
    expired = certified_firm(programme, state="expired")
    assert Client().get(f"/api/v1/advisors/{expired.certification_number}").json()["status"] == "expired"


def test_the_api_answers_404_problem_json_for_an_unknown_number(programme):
    submitted = submitted_firm(programme)
    for number in ("DXA-2026-99999", "nonsense", str(submitted.pk)):
        response = Client().get(f"/api/v1/advisors/{number}")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")
        body = response.json()
        # Problems speak the request's language (issue 9, item 11): Japanese unless it asks for en.
        assert body["status"] == 404 and body["title"] == "見つかりません"
        assert body["instance"] == f"/api/v1/advisors/{number}"
        english = Client().get(f"/api/v1/advisors/{number}", HTTP_ACCEPT_LANGUAGE="en").json()
        assert english["title"] == "Not found"


def test_the_api_is_in_the_openapi_schema(programme):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/advisors/{certification_number}"]["get"]
    assert set(operation["responses"]) == {"200", "404"}
