"""A firm registers in the browser, the secretariat certifies it after signing in with a one-time
code, the firm appears on the public register, and its administrator passes the advisor course.
In a real browser (Chromium)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from playwright.sync_api import Page, expect

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import AdvisorFirm, RegistrationStatus
from tests.e2e.test_support_journey import set_up_authenticator
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from tests.factories.accounts import wait_out_code_rollover
from tests.factories.advisors import INVALID_CORPORATE_NUMBER, VALID_CORPORATE_NUMBER
from tests.factories.files import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.e2e

FIRM = "はやぶさDXパートナーズ株式会社"
EMAIL = "founder@hayabusa-dx.example.jp"


def current_code() -> str:
    wait_out_code_rollover()
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(TOTP_SECRET, counters[len(counters) // 2]))


def continue_to(page: Page, heading: str) -> None:
    page.get_by_role("button", name="保存して次へ").click()
    expect(page.locator("h1")).to_have_text(heading)


def open_context(browser, site):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=site.url, locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(10_000)
    other = context.new_page()
    other.js_errors = []  # type: ignore[attr-defined]
    other.on("pageerror", lambda exc: other.js_errors.append(str(exc)))  # type: ignore[attr-defined]
    return context, other


def test_a_firm_registers_is_certified_and_appears_on_the_register(  # type: ignore[no-untyped-def]
    page: Page, site, e2e_browser, shot, artifacts_dir
) -> None:
    def other_shot(other: Page, step: str) -> None:
        other.screenshot(path=str(artifacts_dir / f"advisor_registration--{step}.png"), full_page=True)

    # --- 1. A visitor finds the registration from the public register and creates an account.
    page.goto("/advisors/")
    assert_page_basics(page)
    expect(page.locator("main table")).to_contain_text("認定事業者はまだいません。")
    page.get_by_role("link", name="認定事業者の登録を申請する").click()
    expect(page.locator("h1")).to_have_text("認定事業者の登録申請")
    page.get_by_label("事業者名").fill(FIRM)
    page.get_by_label("あなたの氏名").fill("隼 太郎")
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    page.get_by_label("パスワード（確認）").fill(PASSWORD)
    page.get_by_role("button", name="アカウントを作って登録を始める").click()
    expect(page.locator("h1")).to_have_text("確認メールを送りました")
    expect(page.locator("main")).to_contain_text(EMAIL)
    shot("01-email-sent")

    message = next(m for m in mail.outbox if m.to == [EMAIL])
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+/", message.body)
    follow = re.search(r"http://\S+/accounts/login/\?next=\S+", message.body)
    assert confirm and follow, message.body
    page.goto("/accounts/" + confirm.group(0).split("/accounts/", 1)[1])
    page.locator("main form button[type=submit]").click()
    page.goto("/accounts/" + follow.group(0).split("/accounts/", 1)[1])
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    # Advisors need a second factor: the authenticator app is set up first, then the registration.
    set_up_authenticator(page)
    expect(page.locator("h1")).to_have_text("認定事業者の登録申請")
    expect(page.locator(".checklist")).to_contain_text("未完了")
    assert_page_basics(page)
    firm = AdvisorFirm.objects.get(name=FIRM)

    # --- 2. The sections, in order; a mistyped 法人番号 is shown in the error summary first.
    page.get_by_role("link", name="事業者の基本情報").first.click()
    page.get_by_label("株式会社").check()
    page.get_by_label(re.compile("^法人番号")).fill(INVALID_CORPORATE_NUMBER)
    page.get_by_label(re.compile(r"^事業者名（フリガナ）")).fill("はやぶさでぃーえっくすぱーとなーず")
    page.get_by_role("button", name="保存して次へ").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("チェックディジットが一致しません")
    expect(page.get_by_label(re.compile(r"^事業者名（フリガナ）"))).to_have_value(
        "はやぶさでぃーえっくすぱーとなーず"
    )
    assert_page_basics(page)
    shot("02-identity-error")
    summary.get_by_role("link", name=re.compile("法人番号")).click()
    expect(page.locator("#id_corporate_number")).to_be_focused()
    page.locator("#id_corporate_number").fill(VALID_CORPORATE_NUMBER)
    continue_to(page, "所在地")

    page.get_by_label(re.compile("^郵便番号")).fill("１００－０００１")
    page.get_by_role("button", name="住所を検索").click()
    expect(page.get_by_label("市区町村")).to_have_value("千代田区")
    expect(page.get_by_label("都道府県")).to_have_value("東京都")
    page.get_by_label(re.compile("^番地・建物名")).fill("千代田1-1 はやぶさビル3階")
    expect(page.locator("#autosave-status")).to_contain_text("保存しました")
    shot("03-address-autosaved")
    continue_to(page, "代表者・担当者")

    page.get_by_label("代表者氏名").fill("隼 太郎")
    page.get_by_label(re.compile("^代表者役職")).fill("代表取締役")
    page.get_by_label(re.compile("^担当者氏名")).fill("隼 花子")
    page.get_by_label("担当者メールアドレス").fill("office@hayabusa-dx.example.jp")
    page.get_by_label(re.compile("^電話番号")).fill("03-1234-5678")
    continue_to(page, "アドバイザーとして活動する方")

    row = page.get_by_role("group", name="1人目")
    row.get_by_label("氏名").fill("隼 太郎")
    row.get_by_label("メールアドレス").fill(EMAIL)
    row.get_by_label(re.compile("^資格・経験")).fill("中小企業診断士")
    continue_to(page, "資格・支援実績")

    page.get_by_label(re.compile("^保有資格")).fill("中小企業診断士 1名、ITコーディネータ 1名")
    page.get_by_label(re.compile("^支援実績・経験")).fill("製造業・小売業のDX支援 25社")
    continue_to(page, "報酬")

    page.get_by_label(re.compile(r"^定額報酬（円・税込）")).fill("２２０，０００")
    page.get_by_label(re.compile("^定額報酬を受け取る時期")).select_option(label="交付決定後")
    page.get_by_label(re.compile("^成功報酬（支援金額に対する％）")).fill("5")
    page.get_by_label(re.compile("^成功報酬を受け取る時期")).select_option(label="支援金の交付後")
    page.get_by_role("group", name=re.compile("交付決定より前に")).get_by_label("いいえ").check()
    page.get_by_label(re.compile(r"^報酬の方針")).fill(
        "交付決定後に定額22万円、交付後に支援金額の5%。不採択なら無料。"
    )
    continue_to(page, "独立性（IT製品・サービスの販売）")

    page.get_by_role("group", name=re.compile("IT製品・サービスを販売していますか")).get_by_label(
        "いいえ"
    ).check()
    continue_to(page, "提出書類")

    for code_label, name, content, mime in (
        ("履歴事項全部証明書", "touki.pdf", PDF_BYTES, "application/pdf"),
        ("アドバイザーの資格・経歴を示す書類", "shikaku.png", PNG_BYTES, "image/png"),
    ):
        page.get_by_label(re.compile(code_label)).check()
        page.get_by_label("ファイル", exact=True).set_input_files(
            {"name": name, "mimeType": mime, "buffer": content}
        )
        page.get_by_role("button", name="添付する").click()
        expect(page.locator(".messages")).to_contain_text(name)
    expect(page.locator("main table")).to_contain_text("touki.pdf")
    shot("04-documents")
    page.get_by_role("link", name="次の項目へ").click()

    expect(page.locator("h1")).to_have_text("宣誓")
    boxes = page.locator("main form input[type=checkbox]")
    expect(boxes).to_have_count(len(site.programme.advisor_certification["declarations"]))
    for index in range(boxes.count()):
        expect(boxes.nth(index)).not_to_be_checked()  # nothing is ticked for the registrant
        boxes.nth(index).check()
    page.get_by_role("button", name="保存してチェックリストへ").click()

    expect(page.locator("main")).to_contain_text("すべての項目がそろいました")
    expect(page.locator(".checklist .todo")).to_have_count(0)
    shot("05-ready")
    page.get_by_role("button", name="登録申請を提出する").dblclick()
    expect(page.locator(".messages")).to_contain_text("登録申請を提出しました")
    expect(page.locator("main")).to_contain_text("審査中")
    assert page.js_errors == []  # type: ignore[attr-defined]
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.SUBMITTED
    assert (
        firm.corporate_number == VALID_CORPORATE_NUMBER
        and firm.name_kana == "ハヤブサディーエックスパートナーズ"
    )
    assert firm.fee_fixed_yen == 220_000 and firm.prefecture == "東京都"
    assert firm.review_events.filter(action="submitted").count() == 1
    assert set(firm.declarations) == {d["key"] for d in site.programme.advisor_certification["declarations"]}

    # --- 3. The secretariat signs in with a one-time code and certifies.
    staff = UserFactory(role=Role.SECRETARIAT, display_name="審査 一郎")
    context, secretariat = open_context(e2e_browser, site)
    try:
        secretariat.goto("/accounts/login/?next=/advisors/review/")
        secretariat.get_by_label("メールアドレス").fill(staff.email)
        secretariat.get_by_label("パスワード").fill(PASSWORD)
        secretariat.get_by_role("button", name="ログイン").click()
        secretariat.locator("input[name=code]").fill(current_code())
        secretariat.locator("main form button[type=submit]").first.click()
        expect(secretariat.locator("h1")).to_have_text("認定事業者の審査")
        secretariat.get_by_role("row", name=re.compile(FIRM)).get_by_role("link").first.click()
        expect(secretariat.locator("h1")).to_have_text(FIRM)
        expect(secretariat.locator("main")).to_contain_text("touki.pdf")
        assert_page_basics(secretariat)
        secretariat.get_by_role("button", name="認定する").click()
        expect(secretariat.locator(".messages")).to_contain_text(
            re.compile(r"認定番号は DXA-\d{4}-00001 です")
        )
        other_shot(secretariat, "06-certified")
        assert secretariat.js_errors == []  # type: ignore[attr-defined]
    finally:
        context.close()
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.CERTIFIED
    number = firm.certification_number
    assert number and re.fullmatch(r"DXA-\d{4}-00001", number)
    assert any(number in m.subject for m in mail.outbox if EMAIL in m.to)

    # --- 4. Anyone finds the firm on the public register.
    context, visitor = open_context(e2e_browser, site)
    try:
        visitor.goto("/advisors/")
        visitor.get_by_label("事業者名・フリガナ・認定番号").fill("はやぶさ")
        visitor.get_by_role("button", name="検索する").click()
        row = visitor.get_by_role("row", name=re.compile(FIRM))
        expect(row).to_contain_text(number)
        expect(row).to_contain_text("有効")
        expect(row).to_contain_text("220,000円")
        row.get_by_role("link", name=number).click()
        expect(visitor.locator("h1")).to_have_text(FIRM)
        expect(visitor.locator("main")).to_contain_text("交付決定後に定額22万円")
        assert_page_basics(visitor)
        other_shot(visitor, "07-register-detail")
        api = visitor.request.get(f"/api/v1/advisors/{number}")
        assert api.json()["status"] == "active" and api.json()["firm_name"] == FIRM
    finally:
        context.close()

    # --- 5. The certified firm's administrator takes the advisor course and may then invite applicants.
    page.goto("/firm/")
    expect(page.locator("h1")).to_have_text(FIRM)
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text("アドバイザー研修の修了（確認テストの合格）が必要です")
    page.get_by_role("link", name="アドバイザー研修へ").click()
    modules = site.programme.advisor_course["modules"]
    page.get_by_role("link", name=modules[0]["title_ja"]).click()
    for index in range(len(modules)):
        last = index + 1 == len(modules)
        page.get_by_role(
            "button", name="読みました。確認テストへ" if last else "読みました。次の単元へ"
        ).click()
    for question in site.programme.advisor_course["quiz"]:
        answer = next(c for c in question["choices"] if c["value"] == question["answer"])
        page.get_by_role("group", name=question["question_ja"]).get_by_label(answer["label_ja"]).check()
    page.get_by_role("button", name="採点する").click()
    expect(page.locator("#quiz-result")).to_contain_text("合格です。アドバイザー研修を修了しました。")
    page.get_by_role("link", name="事業者のページへ").click()
    expect(page.locator("main")).to_contain_text("アドバイザー研修を修了しています。申請者を招待できます。")
    shot("08-course-passed")
