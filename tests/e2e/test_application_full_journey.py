"""The whole application in a real browser, with nothing judged complete behind the user's back:
the advisor signs in and invites the company; the representative creates an account from the
emailed link; the applicant writes the company profile and attaches the required documents; the
advisor writes every section of the business plan (measures with their technologies, milestones
inside the programme period, KPIs) and the budget with its quotations (two for a line above the
相見積 threshold) and the fee disclosure; the applicant confirms the disclosure and makes the
declarations; the advisor marks the application ready; the applicant sets up an authenticator
app in the browser, enters a code and submits; the receipt and its PDF carry the receipt number.
The secretariat signs in with a one-time code, begins screening and returns the application with
a comment on one plan section; the applicant sees the comment, corrects the section, the advisor
marks it ready again and the applicant resubmits; the secretariat sees version 2 and the
corrected text in the difference between the versions.

Issue 4: "The whole journey (invite → onboard → write → confirm → submit → return → resubmit)
passes as an end-to-end test in a real browser"."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader, PdfWriter

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.support.models import Engagement
from tests.e2e.conftest import Site
from tests.e2e.test_advisor_registration import current_code
from tests.e2e.test_support_journey import sign_in
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import wait_out_code_rollover
from tests.factories.advisors import add_advisor, certified_firm
from tests.factories.rounds import open_round
from tests.factories.support import corporate_number, meet_support_requirements

pytestmark = pytest.mark.e2e

COMPANY = "株式会社みらい工業"
APPLICANT_EMAIL = "taro@mirai.example.jp"
CURRENT_STATE = "受発注を紙の伝票とFAXで処理しており、在庫の把握に毎日2時間かかっています。"
CORRECTION = "2025年度の欠品は月平均14件、転記ミスは月9件でした。"
RETURN_COMMENT = "課題を数字で示してください（欠品件数、転記ミスの件数など）。"


def pdf_bytes(title: str) -> bytes:
    """A small valid PDF; the title makes each file's content (and SHA-256) its own."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_file(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


class AuthenticatorApp:
    """The applicant's authenticator app, holding the secret they copied from the set-up page.
    A code already used is refused until its 30-second period ends, as a real app's user sees."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.used: set[int] = set()

    def code(self) -> str:
        wait_out_code_rollover()
        counter = int(time.time()) // 30
        if counter in self.used:
            time.sleep(30 - time.time() % 30 + 0.2)
            counter = int(time.time()) // 30
        self.used.add(counter)
        return str(format_hotp_value(hotp_value(self.secret, counter)))


def open_context(browser: Browser, site: Site) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=site.url, locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    other = context.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda exc: errors.append(str(exc)))
    other.js_errors = errors  # type: ignore[attr-defined]
    return context, other


def settle_autosave(page: Page) -> None:
    """Leave the last field (its change starts the autosave) and wait for the autosave to answer,
    so the explicit save that follows carries the revision the autosave produced."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("h1").click()
    expect(page.locator("#autosave-status")).to_contain_text("保存しました")
    expect(page.locator("form[hx-post]")).not_to_have_class(re.compile("htmx-request"))


def write_plan_section(page: Page, title: str, text: str, rows=None) -> None:  # type: ignore[no-untyped-def]
    """From the plan overview: open the section, write its text (and rows), save, come back."""
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    page.get_by_label(title, exact=True).fill(text)
    if rows is not None:
        rows(page)
    settle_autosave(page)
    page.get_by_role("button", name="保存して一覧へ戻る").click()
    expect(page.locator(".messages")).to_contain_text(f"「{title}」を保存しました")
    expect(page.locator("h1")).to_have_text("事業計画書")


def test_invite_write_submit_return_correct_resubmit(  # type: ignore[no-untyped-def]
    page: Page, site, e2e_browser, shot, artifacts_dir
) -> None:
    def other_shot(other: Page, step: str) -> None:
        other.screenshot(
            path=str(artifacts_dir / f"invite_write_submit_return_correct_resubmit--{step}.png"),
            full_page=True,
        )

    # What precedes the journey: an open round, a certified firm whose advisor passed the course,
    # and a secretariat account with its authenticator.
    round_obj = open_round(site.programme)
    rules = round_obj.application_rules
    firm = certified_firm(site.programme, name="東海DXパートナーズ株式会社")
    advisor = add_advisor(firm, passed_course=True, display_name="佐藤 一郎")
    staff: User = UserFactory(role=Role.SECRETARIAT, display_name="審査 一郎")  # type: ignore[no-untyped-call, assignment]
    number = corporate_number()
    today = timezone.localdate()

    # --- 1. The advisor signs in and invites the company; the invitation is emailed.
    advisor_context, adv = open_context(e2e_browser, site)
    sign_in(adv, advisor.email)
    adv.goto("/support/")
    adv.get_by_role("link", name="支援先を招待する").click()
    expect(adv.locator("h1")).to_have_text("支援先を招待する")
    assert_page_basics(adv)
    adv.get_by_label(round_obj.name_ja).check()
    adv.get_by_label("会社名・屋号").fill(COMPANY)
    adv.get_by_label("法人番号").fill(number)
    adv.get_by_label("代表者の氏名").fill("未来 太郎")
    adv.get_by_label("代表者のメールアドレス").fill(APPLICANT_EMAIL)
    mail.outbox.clear()
    adv.get_by_role("button", name="招待メールを送る").click()
    expect(adv.locator("h1")).to_contain_text(COMPANY)
    engagement = Engagement.objects.get(company_name=COMPANY)
    invitations = [m for m in mail.outbox if APPLICANT_EMAIL in m.to]
    assert len(invitations) == 1
    link = re.search(r"/support/invitations/accept/[^/\s]+/", str(invitations[0].body))
    assert link, invitations[0].body
    other_shot(adv, "advisor-01-invited")

    # --- 2. The representative creates an account from the link; the application is created.
    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("支援への招待")
    page.get_by_label("氏名").fill("未来 太郎")
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    page.get_by_label("パスワード（確認）").fill(PASSWORD)
    page.get_by_role("button", name="アカウントを作成して承諾する").click()
    expect(page.locator(".messages")).to_contain_text("招待を承諾しました")
    # Submitting will need an authenticator app: the page asks for it now, and setting it up
    # (without typing the new password again) leads back here.
    expect(page.locator("main")).to_contain_text("二段階認証を設定してください")
    page.get_by_role("link", name="認証アプリを設定する").click()
    expect(page.locator("h1")).to_have_text("認証アプリを有効化する")
    secret = page.get_by_label("認証アプリシークレット").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    app = AuthenticatorApp(secret)
    shot("01-authenticator-setup")
    page.get_by_label("認証アプリコード").fill(app.code())
    page.get_by_role("button", name="有効化する").click()
    expect(page.locator("main")).to_contain_text("リカバリーコードを保存したら")
    page.get_by_role("link", name="続ける").click()
    expect(page.locator("h1")).to_have_text(COMPANY)
    expect(page.locator("main")).not_to_contain_text("二段階認証を設定してください")
    application = Application.objects.get(engagement=engagement)
    app_url = f"/applications/{application.pk}/"
    page.get_by_role("link", name="申請書を開く").click()
    expect(page).to_have_url(re.compile(rf"{app_url}$"))
    assert_page_basics(page)
    for task in ("profile", "plan", "budget", "documents"):
        expect(page.locator(f"#task-{task}")).to_contain_text("未着手")
    shot("01-task-list-empty")

    # --- 3. The applicant writes the company profile (autosaved, then saved).
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
        "#id_founded_on": "2012-04-01",
    }
    for selector, value in values.items():
        page.locator(selector).fill(value)
    page.get_by_label("常時使用する従業員数").fill("24")
    page.get_by_label("資本金（円）").fill("10,000,000")
    page.get_by_label("売上高（直近期・円）").fill("320,000,000")
    page.get_by_label("売上高（前期・円）").fill("300,000,000")
    page.get_by_label("営業利益（直近期・円）").fill("12,000,000")
    page.get_by_label("営業利益（前期・円）").fill("9,000,000")
    page.get_by_label("業種（日本標準産業分類・大分類）").select_option("E")
    page.get_by_label("決算月").select_option("3")
    page.get_by_label("反社会的勢力との関係がある").select_option("false")
    page.get_by_label("法令および公序良俗を遵守している").select_option("true")
    settle_autosave(page)
    page.get_by_role("button", name="保存して戻る").click()
    expect(page.locator(".messages")).to_contain_text("会社概要を保存しました")
    expect(page.locator("#task-profile")).to_contain_text("完了")
    expect(page.locator("#eligibility")).to_contain_text("申請要件を満たしています")

    # --- 4. The applicant attaches every required document (real PDFs, checked by content).
    page.get_by_role("link", name="添付書類").click()
    expect(page.locator("h1")).to_have_text("添付書類")
    assert_page_basics(page)
    uploads = [d for d in round_obj.documents if d.get("upload") and d["code"] != "quotes"]
    assert len(uploads) == 3
    for spec in uploads:
        page.get_by_label(f"{spec['name_ja']}（PDF）", exact=True).check()
        page.get_by_label("ファイル", exact=True).set_input_files(pdf_file(f"{spec['code']}.pdf"))  # type: ignore[arg-type]
        page.get_by_role("button", name="添付する").click()
        expect(page.locator(".messages")).to_contain_text(f"「{spec['code']}.pdf」を添付しました")
    expect(page.locator("main table")).not_to_contain_text("未添付")
    shot("02-documents")

    # --- 5. The advisor writes the plan, section by section, within the round's limits.
    adv.goto(f"/support/engagements/{engagement.pk}/")
    adv.get_by_role("link", name="申請書を開く").click()
    expect(adv).to_have_url(re.compile(rf"{app_url}$"))
    adv.get_by_role("link", name="事業計画").first.click()
    expect(adv.locator("h1")).to_have_text("事業計画書")
    assert_page_basics(adv)
    specs = {s["code"]: s for s in rules["plan_sections"]}
    assert set(specs) == {
        "current_state",
        "goals",
        "measures",
        "schedule",
        "organisation",
        "kpis",
        "regional",
        "ripple",
    }
    texts = {
        "current_state": CURRENT_STATE,
        "goals": "3年後には受発注と在庫をデータでつなぎ、経営会議を毎週の数字で行う会社にします。",
        "measures": "受発注のクラウド化と、在庫データの分析による発注量の見直しに取り組みます。",
        "schedule": "初年度にシステムを導入し、2年目からデータ分析を経営会議に組み込みます。",
        "organisation": "代表取締役を責任者とし、各部署から1名ずつ推進担当を選んで育成します。",
        "kpis": "労働生産性、コスト、売上高の基準値と3年間の目標を設定します。",
        "regional": "地元の協力会社と受発注データを共有し、地域の取引を効率化します。",
        "ripple": "同業の中小企業に導入事例を公開し、見学会を開きます。",
    }
    for code, text in texts.items():
        assert len(text) <= int(specs[code]["max_chars"])

    def measures(p: Page) -> None:
        p.get_by_label("取組1の名称").fill("受発注のクラウド化")
        p.get_by_label("取組1の内容").fill("紙とFAXの受発注をクラウドの受発注システムに移します。")
        group = p.get_by_role("group", name="取組1で使う技術")
        group.get_by_label("クラウド", exact=True).check()
        p.get_by_label("取組2の名称").fill("在庫データの分析")
        p.get_by_label("取組2の内容").fill("出荷と在庫のデータから発注点を見直します。")
        p.get_by_role("group", name="取組2で使う技術").get_by_label("データ分析", exact=True).check()
        p.get_by_role("group", name="取組2で使う技術").get_by_label("AI", exact=True).check()

    milestone_1 = today + dt.timedelta(days=60)
    milestone_2 = today + dt.timedelta(days=300)
    assert round_obj.programme_period_starts <= milestone_1 < milestone_2 <= round_obj.programme_period_ends

    def milestones(p: Page) -> None:
        p.get_by_label("節目1の内容").fill("受発注システムの本稼働")
        p.get_by_label("節目1の時期").fill(milestone_1.isoformat())
        p.get_by_label("節目2の内容").fill("在庫分析を経営会議に導入")
        p.get_by_label("節目2の時期").fill(milestone_2.isoformat())

    def kpis(p: Page) -> None:
        rows = {
            "労働生産性": ("万円/人", "620", "650", "690", "730"),
            "コスト": ("万円", "4800", "4600", "4400", "4200"),
            "売上高": ("百万円", "320", "330", "345", "360"),
        }
        for label, (unit, *numbers) in rows.items():
            p.get_by_label(f"{label}：単位").fill(unit)
            for column, value in zip(("基準値", "1年後", "2年後", "3年後"), numbers, strict=True):
                p.get_by_label(f"{label}：{column}").fill(value)

    structured = {"measures": measures, "schedule": milestones, "kpis": kpis}
    for code, text in texts.items():
        write_plan_section(adv, specs[code]["title_ja"], text, structured.get(code))
    expect(adv.locator("main")).to_contain_text("状況: 完了")
    other_shot(adv, "advisor-02-plan")

    # --- 6. The advisor writes the budget; a line above the threshold gets two quotations.
    threshold = int(rules["quote_threshold_yen"])
    adv.get_by_role("link", name="経費明細").first.click()
    expect(adv.locator("h1")).to_have_text("経費明細")
    assert_page_basics(adv)
    lines = [
        (
            "ソフトウェア・クラウド利用料",
            "クラウド受発注システム",
            "株式会社クラウドワークス",
            "1",
            "1800000",
        ),
        ("研修・人材育成費", "データ活用研修", "株式会社まなび", "4", "100000"),
    ]
    assert 1_800_000 >= threshold > 400_000
    for category, item, vendor, quantity, price in lines:
        adv.get_by_role("link", name="明細を追加する").click()
        expect(adv.locator("h1")).to_have_text("明細の追加")
        adv.get_by_label("経費区分").select_option(label=category)
        adv.get_by_label("品目").fill(item)
        adv.get_by_label("発注先").fill(vendor)
        adv.get_by_label("数量").fill(quantity)
        adv.get_by_label("単価（税抜・円）").fill(price)
        adv.get_by_role("button", name="保存して経費明細へ戻る").click()
        expect(adv.locator(".messages")).to_contain_text(f"「{item}」を追加しました")
    # Each quotation with its supplier and amount; the same file twice is refused (相見積 is two
    # suppliers' quotations), and the advisor chooses the one bought on, saying why when it is
    # not the cheapest.
    quotes = [
        ("クラウド受発注システム", "quote-cloud-a.pdf", "株式会社クラウドワークス", "1,800,000"),
        ("クラウド受発注システム", "quote-cloud-a.pdf", "株式会社受発注ラボ", "1,650,000"),
        ("クラウド受発注システム", "quote-cloud-b.pdf", "株式会社受発注ラボ", "1,650,000"),
        ("データ活用研修", "quote-training.pdf", "株式会社まなび", "400,000"),
    ]
    for i, (item, name, supplier, amount) in enumerate(quotes):
        row = adv.locator("tbody tr").filter(has_text=item)
        row.get_by_label("見積元の業者名").fill(supplier)
        row.get_by_label("見積金額（税抜・円）").fill(amount)
        row.get_by_label("見積書を添付").set_input_files(pdf_file(name))  # type: ignore[arg-type]
        row.get_by_role("button", name="添付する").click()
        if i == 1:
            expect(adv.locator("main")).to_contain_text(
                "すでに添付されている見積書「quote-cloud-a.pdf」と同じ内容です"
            )
            continue
        expect(adv.locator(".messages")).to_contain_text(f"見積書「{name}」を添付しました")
        if i == 0:
            # One quotation is not enough above the threshold.
            expect(adv.locator("tbody tr").filter(has_text=item)).to_contain_text("2通（相見積）必要です")
    cloud_row = adv.locator("tbody tr").filter(has_text="クラウド受発注システム")
    expect(adv.locator("main")).to_contain_text("採用する見積書を選んでください")
    cloud_row.get_by_label("株式会社クラウドワークス（1,800,000円）").check()
    cloud_row.get_by_role("button", name="採用する見積書を保存").click()
    expect(adv.locator("main")).to_contain_text("採用する見積書より安い見積書があります")
    cloud_row = adv.locator("tbody tr").filter(has_text="クラウド受発注システム")
    cloud_row.get_by_label("株式会社クラウドワークス（1,800,000円）").check()
    cloud_row.get_by_label("最安でない見積書を採用する理由").fill("在庫連携と保守が含まれるため")
    cloud_row.get_by_role("button", name="採用する見積書を保存").click()
    expect(adv.locator(".messages")).to_contain_text("採用する見積書を保存しました")
    expect(adv.locator("main table")).not_to_contain_text("必要です")
    expect(adv.locator("tfoot")).to_contain_text("2,420,000円")  # (1,800,000 + 400,000) × 1.1
    expect(adv.locator("tfoot")).to_contain_text("2,200,000円")
    other_shot(adv, "advisor-03-budget")

    # --- 7. The advisor writes the fee disclosure; the applicant confirms it.
    adv.goto(app_url)
    adv.get_by_role("link", name="アドバイザーの報酬・独立性の開示").click()
    adv.get_by_label("アドバイザー報酬（円・税込）").fill("550,000")
    adv.get_by_label("報酬の算定方法").fill("月額5万円×11か月")
    adv.get_by_label("支払時期").select_option("monthly")
    adv.get_by_label("いいえ").check()
    adv.get_by_role("button", name="保存して戻る").click()
    expect(adv.locator(".messages")).to_contain_text("開示内容を保存しました")

    page.goto(app_url)
    page.get_by_role("link", name="アドバイザーの報酬・独立性の開示").click()
    expect(page.locator("#disclosure")).to_contain_text("550,000")
    page.get_by_role("button", name="上記の開示内容を確認しました").click()
    expect(page.locator("#task-disclosure")).to_contain_text("完了")

    # --- 8. The applicant makes the declarations, each box unticked at first.
    page.get_by_role("link", name="宣誓・同意").click()
    assert_page_basics(page)
    boxes = page.locator("main input[type=checkbox]")
    expect(boxes).to_have_count(6)
    for i in range(boxes.count()):
        expect(boxes.nth(i)).not_to_be_checked()
        boxes.nth(i).check()
    page.get_by_role("button", name="宣誓・同意する").click()
    for task in ("profile", "plan", "budget", "documents", "disclosure", "declarations"):
        expect(page.locator(f"#task-{task}")).to_contain_text("完了")
    expect(page.locator("main")).to_contain_text("6項目中 6項目が完了しています。")
    # Training and advice are conditions of submission: shown with their status until met.
    expect(page.locator("#requirement-training_hours")).to_contain_text("0 / 6時間")
    expect(page.locator("#requirement-training_quiz")).to_contain_text("未合格")
    meet_support_requirements(engagement)  # the support journey (test_support_journey) tries these
    page.reload()
    for code in ("hearing", "training_hours", "training_quiz"):
        expect(page.locator(f"#requirement-{code}")).to_contain_text("完了")
    shot("03-task-list-complete")

    # --- 9. Check your answers; the advisor asks the applicant for the final confirmation.
    adv.goto(app_url)
    adv.get_by_role("link", name="入力内容を確認する").click()
    expect(adv.locator("h1")).to_have_text("入力内容の確認")
    assert_page_basics(adv)
    for text in (COMPANY, CURRENT_STATE, "受発注のクラウド化", "クラウド受発注システム", "550,000"):
        expect(adv.locator("main")).to_contain_text(text)
    other_shot(adv, "advisor-04-check-answers")
    # The next step is the first thing on the page (item 8); the same button is also further down.
    adv.get_by_role("region", name="次にすること").get_by_role(
        "button", name="申請者に最終確認を依頼する"
    ).click()
    expect(adv.locator(".messages")).to_contain_text("最終確認を依頼しました")

    # --- 10. The applicant reviews the whole application, enters a code and submits.
    page.goto(app_url)
    page.locator("#next-step").get_by_role("link", name="申請内容を確認して提出する").click()
    expect(page.locator("h1")).to_have_text("申請内容の最終確認と提出")
    assert_page_basics(page)
    expect(page.locator("main")).to_contain_text(CURRENT_STATE)
    page.get_by_label("認証コード（6桁）").fill(app.code())
    page.get_by_label("上記の内容で申請することを確認しました。").check()
    shot("05-confirm")
    mail.outbox.clear()
    page.get_by_role("button", name="申請を提出する").click()
    expect(page.locator("h1")).to_have_text("申請を受け付けました")
    application.refresh_from_db()
    receipt_number = application.receipt_number or ""
    assert re.fullmatch(r"DX-\d{4}-000001", receipt_number), receipt_number
    expect(page.locator("#receipt-number")).to_have_text(receipt_number)
    assert {m.to[0] for m in mail.outbox} >= {APPLICANT_EMAIL, advisor.email}
    assert all(receipt_number in m.subject for m in mail.outbox)
    shot("06-receipt")

    pdf_link = page.get_by_role("link", name="受付票（PDF）")
    expect(pdf_link).to_have_count(1)
    response = page.request.get(pdf_link.get_attribute("href") or "")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    receipt_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert receipt_number in receipt_text

    # --- 11. The secretariat signs in with a one-time code, begins screening and returns the
    # application with a comment on the plan's first section.
    staff_context, sec = open_context(e2e_browser, site)
    sec.goto(f"/accounts/login/?next=/staff/applications/{application.pk}/")
    sec.get_by_label("メールアドレス").fill(staff.email)
    sec.get_by_label("パスワード").fill(PASSWORD)
    sec.get_by_role("button", name="ログイン").click()
    sec.locator("input[name=code]").fill(current_code())
    sec.locator("main form button[type=submit]").first.click()
    expect(sec.locator("h1")).to_have_text(COMPANY)
    assert_page_basics(sec)
    expect(sec.locator("main")).to_contain_text(receipt_number)
    sec.get_by_role("button", name="形式審査を開始").click()
    expect(sec.locator(".messages")).to_contain_text("形式審査を開始しました")
    sec.get_by_role("link", name="差し戻す（修正を依頼）").click()
    due_on = today + dt.timedelta(days=int(rules["return_period_days"]))
    due_text = f"{due_on.year}年{due_on.month}月{due_on.day}日"
    expect(sec.locator("main")).to_contain_text(f"修正期限は{due_text}です")
    sec.get_by_label("事業計画：現状と経営課題").fill(RETURN_COMMENT)
    mail.outbox.clear()
    sec.get_by_role("button", name="差し戻す").click()
    expect(sec.locator(".messages")).to_contain_text("申請を差し戻しました")
    expect(sec.locator("main")).to_contain_text(due_text)
    expect(sec.locator("main")).to_contain_text(RETURN_COMMENT)
    other_shot(sec, "secretariat-05-returned")
    application.refresh_from_db()
    assert application.status == workflow.RETURNED
    assert {m.to[0] for m in mail.outbox} >= {APPLICANT_EMAIL, advisor.email}
    assert all("【差戻し】" in m.subject for m in mail.outbox)

    # --- 12. The applicant sees the comment on the task list and corrects the section.
    page.goto(app_url)
    notice = page.get_by_role("region", name="事務局から修正の依頼があります")
    expect(notice).to_contain_text("事業計画：現状と経営課題")
    expect(notice).to_contain_text(RETURN_COMMENT)
    expect(notice).to_contain_text(due_text)
    shot("07-return-comment")
    page.get_by_role("link", name="事業計画").first.click()
    write_plan_section(page, "現状と経営課題", CURRENT_STATE + CORRECTION)

    # --- 13. The advisor asks for the final confirmation again; the applicant resubmits.
    adv.goto(app_url)
    # The next step is the first thing on the page (item 8); the same button is also further down.
    adv.get_by_role("region", name="次にすること").get_by_role(
        "button", name="申請者に最終確認を依頼する"
    ).click()
    expect(adv.locator(".messages")).to_contain_text("最終確認を依頼しました")
    page.goto(app_url)
    page.locator("#next-step").get_by_role("link", name="申請内容を確認して提出する").click()
    expect(page.locator("main")).to_contain_text(CORRECTION)
    page.get_by_label("認証コード（6桁）").fill(app.code())
    page.get_by_label("上記の内容で申請することを確認しました。").check()
    page.get_by_role("button", name="申請を提出する").click()
    expect(page.locator("h1")).to_have_text("申請を受け付けました")
    expect(page.locator("#receipt-number")).to_have_text(receipt_number)  # kept on resubmission
    expect(page.locator("main")).to_contain_text(re.compile(r"第2版 .* 提出"))
    shot("08-resubmitted")
    application.refresh_from_db()
    assert application.status == workflow.SUBMITTED

    # --- 14. The secretariat sees version 2 and what changed between the versions.
    sec.reload()
    versions = sec.get_by_role("region", name="提出された版")
    expect(versions.get_by_role("link", name="第2版")).to_be_visible()
    expect(sec.get_by_role("region", name="差戻しの履歴")).to_contain_text("再提出済み")
    sec.get_by_role("link", name="版の違いを見る").click()
    expect(sec.locator("h1")).to_have_text(f"{COMPANY}：版の違い")
    expect(sec.locator("main")).to_contain_text("第1版 → 第2版")
    # Only the corrected section changed; the rest of the application is the same.
    expect(sec.locator("main").get_by_role("region")).to_have_count(1)
    plan_diff = sec.get_by_role("region", name="事業計画")
    expect(plan_diff).to_contain_text("現状と経営課題")
    expect(plan_diff.locator(".diff-text ins")).to_contain_text(CORRECTION)
    expect(plan_diff.locator(".diff-text del")).to_have_count(0)
    assert_page_basics(sec)
    other_shot(sec, "secretariat-06-diff")

    for p in (page, adv, sec):
        assert not p.js_errors  # type: ignore[attr-defined]
    staff_context.close()
    advisor_context.close()
