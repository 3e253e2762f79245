"""The secretariat's application list in a real browser (issue 9, items 13 and 19): a search
typed in half-width kana or as part of a receipt number finds the application, and the firm
filter is a field that suggests matching firms as one types (htmx filling a <datalist>, the
browser's own keyboard-accessible list) and filters by what was typed without JavaScript too.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from dxgrant.accounts.models import Role, User
from dxgrant.japan.corporate_number import check_digit
from tests.e2e.conftest import Site
from tests.e2e.test_advisor_registration import current_code
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories import PASSWORD, UserFactory
from tests.factories.advisors import firm_with_advisor
from tests.factories.applications import make_application
from tests.factories.rounds import open_round

pytestmark = pytest.mark.e2e


def sign_in_with_code(page: Page, user: User, path: str) -> None:
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.locator("input[name=code]").fill(current_code())
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("申請一覧（事務局）")


def rows(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("main table").first.locator("tbody tr").all_inner_texts()]


def test_search_and_firm_suggestions(page: Page, site: Site, e2e_browser: Browser, shot) -> None:  # type: ignore[no-untyped-def]
    round_obj = open_round(site.programme)
    sakura, sakura_advisor = firm_with_advisor(
        site.programme, name="さくら経営支援株式会社", name_kana="サクラケイエイシエン"
    )
    momiji, momiji_advisor = firm_with_advisor(
        site.programme, name="もみじ経営支援株式会社", name_kana="モミジケイエイシエン"
    )
    make_application(
        site.programme,
        round_obj=round_obj,
        firm=sakura,
        advisor=sakura_advisor,
        company_name="株式会社欅電機",
        company_name_kana="ケヤキデンキ",
        receipt_number="DX-2026-000002",
        corporate_number=f"{check_digit('123456789012')}123456789012",
    )
    make_application(
        site.programme,
        round_obj=round_obj,
        firm=momiji,
        advisor=momiji_advisor,
        company_name="株式会社もみじ商会",
        receipt_number="DX-2026-000123",
        corporate_number=f"{check_digit('210987654321')}210987654321",
    )
    staff = UserFactory(role=Role.SECRETARIAT)
    sign_in_with_code(page, staff, "/staff/applications/")
    assert_page_basics(page)

    # Half-width kana for a katakana reading; part of a receipt number.
    page.get_by_label("検索").fill("ｹﾔｷ")
    page.get_by_label("検索").press("Enter")
    expect(page).to_have_url(re.compile(r"q=(%EF%BD%B9|ｹ)"))
    expect(page.locator("main table").first).to_contain_text("株式会社欅電機")
    assert len(rows(page)) == 1
    page.get_by_label("検索").fill("000002")
    page.get_by_label("検索").press("Enter")
    expect(page).to_have_url(re.compile(r"q=000002"))
    expect(page.locator("main table").first).to_contain_text("DX-2026-000002")
    assert len(rows(page)) == 1
    page.get_by_label("検索").fill("")

    # The firm field: no option per firm; typing brings suggestions from the server.
    firm_field = page.get_by_label("認定事業者")
    expect(firm_field).to_have_attribute("list", "firm-suggestions")
    expect(page.locator("#firm-suggestions option")).to_have_count(0)
    firm_field.press_sequentially("けいえい", delay=50)
    suggestions = page.locator("#firm-suggestions option")
    expect(suggestions).to_have_count(2)
    firm_field.fill("")
    firm_field.press_sequentially("さくら", delay=50)
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_have_attribute("value", sakura.certification_number or "")
    expect(suggestions.first).to_have_text("さくら経営支援株式会社")
    shot("firm-suggestions")
    # Choosing the suggestion puts its certification number in the field; Enter filters.
    firm_field.fill(sakura.certification_number or "")
    firm_field.press("Enter")
    expect(page).to_have_url(re.compile(r"firm=" + re.escape(sakura.certification_number or "")))
    expect(page.locator("main table").first).to_contain_text("株式会社欅電機")
    assert len(rows(page)) == 1
    assert not page.js_errors  # type: ignore[attr-defined]

    # Without JavaScript the field is a plain search field and filters by what was typed.
    state = page.context.storage_state()
    context = e2e_browser.new_context(base_url=site.url, java_script_enabled=False, storage_state=state)
    try:
        plain = context.new_page()
        plain.goto("/staff/applications/")
        plain.get_by_label("認定事業者").fill("ﾓﾐｼﾞ")
        plain.get_by_role("button", name="絞り込む").click()
        expect(plain).to_have_url(re.compile(r"firm=(%EF%BE%93|ﾓ)"))
        expect(plain.locator("main table").first).to_contain_text("株式会社もみじ商会")
        assert len(rows(plain)) == 1
    finally:
        context.close()
