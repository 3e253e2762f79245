"""The application in a real browser: the advisor invites the company, the representative creates
an account from the link and opens the application, writes the company profile (autosaved),
makes the declarations; the advisor writes the fee disclosure, the applicant confirms it; the
advisor marks the application ready; the applicant enters a code from their authenticator app
and submits; the receipt number is shown.

The plan, budget and documents have their own journeys; here they are judged complete so this
one stays on the core flow."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from dxgrant.accounts.models import User
from dxgrant.applications import completeness, workflow
from dxgrant.applications.models import Application
from dxgrant.support import services as support_services
from dxgrant.support.models import ClientInvitation
from tests.applications.factories_core import core_round, enrol_totp, totp_now
from tests.e2e.test_support_journey import sign_in
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories import PASSWORD
from tests.firm_helpers import add_advisor, certified_firm
from tests.support.factories import corporate_number

pytestmark = pytest.mark.e2e


def _other_parts_complete(module: str, name: str):  # type: ignore[no-untyped-def]
    if name.endswith("_status"):
        return lambda application: completeness.COMPLETED
    return lambda application: []


def test_invite_profile_declare_ready_confirm_submit(  # type: ignore[no-untyped-def]
    page: Page, site, e2e_browser, shot, monkeypatch
) -> None:
    monkeypatch.setattr(completeness, "_other_part", _other_parts_complete)
    round_obj = core_round(site.programme)
    firm = certified_firm(site.programme, name="東海DXパートナーズ株式会社")
    advisor = add_advisor(firm, passed_course=True, display_name="佐藤 一郎")
    number = corporate_number()
    engagement = support_services.start_engagement(
        actor=advisor,
        round=round_obj,
        company_name="株式会社みらい工業",
        corporate_number=number,
        representative_name="未来 太郎",
        representative_email="taro@mirai.example.jp",
        submission_token=uuid.uuid4(),
    )
    invitation = ClientInvitation.objects.get(engagement=engagement)
    link = f"/support/invitations/accept/{support_services.invitation_token(invitation)}/"

    # --- The representative creates an account from the link; the application is created.
    page.goto(link)
    page.get_by_label("氏名").fill("未来 太郎")
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    page.get_by_label("パスワード（確認）").fill(PASSWORD)
    page.get_by_role("button", name="アカウントを作成して承諾する").click()
    expect(page.locator(".messages")).to_contain_text("招待を承諾しました")
    application = Application.objects.get(engagement=engagement)
    page.get_by_role("link", name="申請書を開く").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    assert_page_basics(page)
    expect(page.locator("#task-profile")).to_contain_text("未着手")
    expect(page.locator("#task-declarations")).to_contain_text("まだ開始できません")
    shot("01-task-list")

    # --- The company profile; autosave answers with the time.
    page.get_by_role("link", name="会社概要").click()
    assert_page_basics(page)
    page.locator("#id_entity_type").select_option("corporation")
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"保存しました \d\d:\d\d"))
    values = {
        "#id_legal_form": "株式会社",
        "#id_corporate_number": number,
        "#id_company_name_kana": "カブシキガイシャミライコウギョウ",
        "#id_representative_name": "未来 太郎",
        "#id_representative_name_kana": "ミライ タロウ",
        "#id_postal_code": "100-0001",
        "#id_prefecture": "東京都",
        "#id_city": "千代田区",
        "#id_address_line": "千代田1-1",
        "#id_phone": "03-1234-5678",
        "#id_employees": "24",
        "#id_capital_yen": "10,000,000",
        "#id_founded_on": "2012-04-01",
        "#id_sales_last_yen": "320,000,000",
        "#id_sales_previous_yen": "300,000,000",
        "#id_operating_profit_last_yen": "12,000,000",
        "#id_operating_profit_previous_yen": "9,000,000",
    }
    for selector, value in values.items():
        page.locator(selector).fill(value)
    page.locator("#id_industry").select_option("E")
    page.locator("#id_fiscal_year_end_month").select_option("3")
    page.locator("#id_antisocial_ties").select_option("false")
    page.locator("#id_legal_compliance").select_option("true")
    expect(page.locator("#autosave-status")).to_contain_text("保存しました")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="保存して戻る").click()
    expect(page.locator(".messages")).to_contain_text("会社概要を保存しました")
    expect(page.locator("#task-profile")).to_contain_text("完了")
    expect(page.locator("#eligibility")).to_contain_text("申請要件を満たしています")

    # --- Declarations: each box starts unticked; the applicant ticks them.
    page.get_by_role("link", name="宣誓・同意").click()
    assert_page_basics(page)
    boxes = page.locator("input[type=checkbox]")
    assert boxes.count() >= 5
    for i in range(boxes.count()):
        expect(boxes.nth(i)).not_to_be_checked()
        boxes.nth(i).check()
    shot("02-declarations")
    page.get_by_role("button", name="宣誓・同意する").click()
    expect(page.locator("#task-declarations")).to_contain_text("完了")

    # --- The advisor writes the disclosure, in their own browser.
    advisor_context = e2e_browser.new_context(base_url=site.url, locale="ja-JP", timezone_id="Asia/Tokyo")
    adv = advisor_context.new_page()
    sign_in(adv, advisor.email)
    adv.goto(f"/support/engagements/{engagement.pk}/")
    adv.get_by_role("link", name="申請書を開く").click()
    adv.get_by_role("link", name="アドバイザーの報酬・独立性の開示").click()
    adv.get_by_label("アドバイザー報酬（円・税込）").fill("550,000")
    adv.get_by_label("報酬の算定方法").fill("月額5万円×11か月")
    adv.get_by_label("支払時期").select_option("monthly")
    adv.get_by_label("いいえ").check()
    adv.get_by_role("button", name="保存して戻る").click()
    expect(adv.locator(".messages")).to_contain_text("開示内容を保存しました")

    # --- The applicant confirms it.
    page.goto(f"/applications/{application.pk}/disclosure/")
    expect(page.locator("#disclosure")).to_contain_text("550,000")
    page.get_by_role("button", name="上記の開示内容を確認しました").click()
    expect(page.locator("#task-disclosure")).to_contain_text("完了")

    # --- The advisor marks it ready.
    adv.goto(f"/applications/{application.pk}/")
    adv.get_by_role("button", name="申請者に最終確認を依頼する").click()
    expect(adv.locator(".messages")).to_contain_text("最終確認を依頼しました")
    application.refresh_from_db()
    assert application.status == workflow.AWAITING_CONFIRMATION
    advisor_context.close()

    # --- The applicant is asked to set up an authenticator first, then confirms with a code.
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="申請内容を確認して提出する").click()
    expect(page.locator("h1")).to_have_text("二段階認証の設定が必要です")
    applicant = User.objects.get(email="taro@mirai.example.jp")
    enrol_totp(applicant)
    page.reload()
    expect(page.locator("h1")).to_have_text("申請内容の最終確認と提出")
    assert_page_basics(page)
    expect(page.locator("main")).to_contain_text("株式会社みらい工業")
    page.get_by_label("認証コード（6桁）").fill(totp_now(applicant))
    page.get_by_label("上記の内容で申請することを確認しました。").check()
    shot("03-confirm")
    mail.outbox.clear()
    page.get_by_role("button", name="申請を提出する").click()
    expect(page.locator("h1")).to_have_text("申請を受け付けました")
    application.refresh_from_db()
    assert application.status == workflow.SUBMITTED
    expect(page.locator("#receipt-number")).to_have_text(application.receipt_number or "")
    assert re.fullmatch(r"[A-Z]+-\d{4}-000001", application.receipt_number or "")
    assert {m.to[0] for m in mail.outbox} >= {"taro@mirai.example.jp", advisor.email}
    shot("04-receipt")
    assert not page.js_errors  # type: ignore[attr-defined]
