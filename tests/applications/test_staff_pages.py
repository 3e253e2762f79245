"""The secretariat's application pages: the list with its filters, search and keyset pagination,
the detail page, the PDF, and who may open them."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, RefusedDuplicate
from dxgrant.applications.views.staff import PAGE_SIZE
from dxgrant.programs.models import Programme
from tests.factories.advisors import firm_with_advisor
from tests.factories.applications import PLAN_TEXT, fill_application, make_application, make_version
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db

LIST = "/staff/applications/"


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.company_name for a in response.context["applications"]]


def test_list_filters_by_each_column(programme: Programme, client_for: Callable[[str], Client]) -> None:
    firm, advisor = firm_with_advisor(programme, name="絞り込み支援株式会社")
    tokyo = make_application(programme, company_name="東京精工", prefecture="東京都", employees=3)
    osaka = make_application(
        programme,
        company_name="大阪物産",
        prefecture="大阪府",
        industry="I",
        employees=40,
        firm=firm,
        advisor=advisor,
    )
    big = make_application(programme, company_name="大型製作所", employees=150, status=workflow.SCREENING)
    client = client_for(Role.SECRETARIAT)

    assert set(names(client.get(LIST))) == {"東京精工", "大阪物産", "大型製作所"}
    assert names(client.get(LIST, {"prefecture": "大阪府"})) == ["大阪物産"]
    assert names(client.get(LIST, {"industry": "I"})) == ["大阪物産"]
    # The firm filter is a search field (issue 9, item 19): a certification number or a name.
    assert names(client.get(LIST, {"firm": firm.certification_number})) == ["大阪物産"]
    assert names(client.get(LIST, {"firm": "絞り込み支援"})) == ["大阪物産"]
    assert names(client.get(LIST, {"status": workflow.SCREENING})) == ["大型製作所"]
    assert names(client.get(LIST, {"size": "0-5"})) == ["東京精工"]
    assert names(client.get(LIST, {"size": "21-50"})) == ["大阪物産"]
    assert names(client.get(LIST, {"size": "101-"})) == ["大型製作所"]
    assert names(client.get(LIST, {"round": tokyo.round_id, "prefecture": "東京都", "size": "6-20"})) == []
    other_round = make_application(
        programme,
        company_name="別の回の会社",
        round_obj=open_round(programme, code="dx-test-other"),
    )
    assert names(client.get(LIST, {"round": other_round.round_id})) == ["別の回の会社"]
    assert osaka.pk and big.pk


def test_search_by_name_kana_corporate_number_and_receipt(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    target = make_application(programme, company_name="株式会社さくら電機", company_name_kana="サクラデンキ")
    make_application(programme, company_name="株式会社もみじ商会", company_name_kana="モミジショウカイ")
    client = client_for(Role.AUDITOR)
    assert names(client.get(LIST, {"q": "さくら"})) == ["株式会社さくら電機"]
    assert names(client.get(LIST, {"q": "ｻｸﾗ"})) == ["株式会社さくら電機"]  # half-width kana
    assert names(client.get(LIST, {"q": target.corporate_number})) == ["株式会社さくら電機"]
    assert names(client.get(LIST, {"q": target.receipt_number})) == ["株式会社さくら電機"]
    assert names(client.get(LIST, {"q": "存在しない会社"})) == []


def test_keyset_pagination_walks_every_application_once(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    firm, advisor = firm_with_advisor(programme)
    created = {make_application(programme, firm=firm, advisor=advisor).pk for _ in range(PAGE_SIZE + 3)}
    client = client_for(Role.SECRETARIAT)
    # The firm field is a search (name, reading, number): its whole certification number names
    # this firm alone. (Its id, as this test once sent, matched only while ids were small.)
    assert firm.certification_number
    first = client.get(LIST, {"firm": firm.certification_number})
    assert len(first.context["applications"]) == PAGE_SIZE
    before = first.context["next_before"]
    assert f"before={before}" in first.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(LIST, {"firm": firm.certification_number, "before": before})
    assert not any("OFFSET" in q["sql"].upper() for q in ctx.captured_queries)
    assert second.context["next_before"] is None
    seen = [a.pk for a in first.context["applications"]] + [a.pk for a in second.context["applications"]]
    assert sorted(seen) == sorted(created)
    assert seen == sorted(seen, reverse=True)


def test_list_shows_refused_duplicate_attempts(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    first = make_application(programme, company_name="重複テスト株式会社")
    firm, advisor = firm_with_advisor(programme, name="二社目の支援事業者")
    # The refusal itself is tested with ensure_application; here, what the secretariat sees.
    RefusedDuplicate.objects.create(
        round=first.round, company_key=first.company_key, firm=firm, attempted_by=advisor
    )
    html = client_for(Role.SECRETARIAT).get(LIST).content.decode()
    assert "同じ会社の重複申請の試み" in html
    assert "二社目の支援事業者" in html
    assert first.corporate_number in html
    # Filtered by another round, the panel shows that round's attempts only.
    other = open_round(programme, code="dx-test-other-dup")
    html = client_for(Role.SECRETARIAT).get(LIST, {"round": other.pk}).content.decode()
    assert "二社目の支援事業者" not in html
    assert "重複申請の試みはありません。" in html


def test_detail_shows_everything_with_documents_and_history(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = fill_application(make_application(programme, company_name="詳細表示株式会社"))
    make_version(app)
    client = client_for(Role.AUDITOR)
    response = client.get(f"{LIST}{app.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "詳細表示株式会社" in html
    assert app.receipt_number in html
    assert PLAN_TEXT in html
    assert "見積書_クラウド.pdf" in html  # a quote attached to a budget line
    assert "履歴事項全部証明書.pdf" in html
    assert "application.created" in html  # the audit history
    assert "申請を作成" in html
    document = app.documents.get(original_name="履歴事項全部証明書.pdf")
    assert f'href="/applications/{app.pk}/documents/{document.pk}/"' in html
    assert "第1版" in html
    # Auditors read; they are offered no acts.
    assert "形式審査を開始" not in html
    assert "差し戻す" not in html


def test_secretariat_is_offered_the_acts_the_state_allows(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = fill_application(make_application(programme))
    make_version(app)
    html = client_for(Role.SECRETARIAT).get(f"{LIST}{app.pk}/").content.decode()
    assert "形式審査を開始" in html
    assert "差し戻す（修正を依頼）" in html
    drafting = make_application(programme, status=workflow.DRAFTING)
    html = client_for(Role.SECRETARIAT).get(f"{LIST}{drafting.pk}/").content.decode()
    assert "形式審査を開始" not in html
    assert "差し戻す（修正を依頼）" not in html


def test_missing_application_is_404(client_for: Callable[[str], Client], programme: Programme) -> None:
    assert client_for(Role.SECRETARIAT).get(f"{LIST}999999/").status_code == 404
    assert client_for(Role.SECRETARIAT).get(f"{LIST}999999/application.pdf").status_code == 404


def test_pdf_contains_company_receipt_and_plan(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = fill_application(make_application(programme, company_name="株式会社ピーディーエフ工業"))
    response = client_for(Role.AUDITOR).get(f"{LIST}{app.pk}/application.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "株式会社ピーディーエフ工業" in text
    assert app.receipt_number in text
    assert "在庫データを毎日分析" in text.replace("\n", "")
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
    }
    assert any("IPAex" in f for f in fonts), fonts


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (Role.SECRETARIAT, Role.AUDITOR)])
def test_other_roles_are_refused_with_a_reason(
    role: str, programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = make_application(programme)
    client = client_for(role)
    for url in (LIST, f"{LIST}{app.pk}/", f"{LIST}{app.pk}/application.pdf", f"{LIST}{app.pk}/diff/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "事務局と監査担当者のみ" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(programme: Programme, client: Client) -> None:
    app = make_application(programme)
    for url in (LIST, f"{LIST}{app.pk}/", f"{LIST}{app.pk}/application.pdf"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_home_links_the_list_for_staff(client_for: Callable[[str], Client], programme: Programme) -> None:
    assert LIST in client_for(Role.SECRETARIAT).get("/me/").content.decode()
    assert LIST not in client_for(Role.APPLICANT).get("/me/").content.decode()


def test_list_stays_flat_as_applications_grow(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    client = client_for(Role.SECRETARIAT)
    firm, advisor = firm_with_advisor(programme)

    def count() -> int:
        client.get(LIST)  # warm up
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        make_application(programme, firm=firm, advisor=advisor)
    small = count()
    for _ in range(55):
        make_application(programme)  # each with its own firm: the firm filter grows too
    RefusedDuplicate.objects.bulk_create(
        RefusedDuplicate(round=app.round, company_key=app.company_key, firm=app.firm, attempted_by=advisor)
        for app in Application.objects.all()
    )
    assert count() == small


def test_pdf_without_the_japanese_font_is_refused_plainly(
    programme: Programme, client_for: Callable[[str], Client], settings: Any
) -> None:
    from dxgrant.core import pdf

    app = make_application(programme)
    settings.DXGRANT_PDF_FONT_PATH = "/nonexistent/font.ttf"
    pdf._find_font.cache_clear()
    try:
        response = client_for(Role.SECRETARIAT).get(f"{LIST}{app.pk}/application.pdf")
    finally:
        pdf._find_font.cache_clear()
    assert response.status_code == 503
    assert "申請書のPDFを作成できません" in response.content.decode()


def test_staff_pages_read_in_english(programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = fill_application(make_application(programme))
    client = client_for(Role.AUDITOR)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Attempts to apply twice for the same company" in client.get(LIST).content.decode()
    html = client.get(f"{LIST}{app.pk}/").content.decode()
    assert "Current state and management challenges" in html
    assert "Eligibility check" in html
