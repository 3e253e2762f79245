"""A visitor's journey through the public site, in a real browser (Chromium via Playwright).

Runs against the live server with the real clock. Round dx-2025-r1 takes applications from
2025-11-01 to 2026-04-30, so from May 2026 on it is closed, and the site must say so.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from dxgrant.public.models import Inquiry

pytestmark = pytest.mark.e2e

ROUND_CLOSES = dt.date(2026, 4, 30)


def assert_page_basics(page: Page, lang: str = "ja") -> None:
    """The accessibility floor every public page has to meet."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    h1s = page.locator("h1")
    expect(h1s).to_have_count(1)
    expect(h1s.first).to_be_visible()
    expect(h1s.first).not_to_have_text(re.compile(r"^\s*$"))
    assert page.title().strip(), "the page has no <title>"

    # Skip link: the first focusable thing, pointing at <main id="main">.
    skip = page.locator("a.skip-link")
    expect(skip).to_have_count(1)
    expect(skip).to_have_attribute("href", "#main")
    if lang == "ja":
        expect(skip).to_have_text("本文へ移動")
    first_link = page.evaluate(
        "() => document.querySelector('body a, body button, body input:not([type=hidden])').className"
    )
    assert first_link == "skip-link", f"the first focusable element is {first_link!r}, not the skip link"
    expect(page.locator("main#main")).to_have_count(1)

    # Landmarks.
    expect(page.get_by_role("main")).to_have_count(1)
    assert page.get_by_role("navigation").count() >= 1, "no <nav> landmark"
    expect(page.get_by_role("contentinfo")).to_have_count(1)  # <footer> outside <main>/<section>
    expect(page.locator("header.site-header")).to_have_count(1)

    # Every form control a visitor can fill in has a label.
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea'))
            .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                          && !el.getAttribute('aria-labelledby'))
            .map(el => el.outerHTML)"""
    )
    assert unlabelled == [], f"form controls without a label: {unlabelled}"
    # Every label points at something that exists.
    dangling = page.evaluate(
        """() => Array.from(document.querySelectorAll('label[for]'))
            .filter(l => !document.getElementById(l.htmlFor)).map(l => l.outerHTML)"""
    )
    assert dangling == [], f"labels pointing at nothing: {dangling}"
    # An optional field says so once, not "（任意） （任意）".
    doubled = page.evaluate(
        """() => Array.from(document.querySelectorAll('label, legend')).map(l => l.textContent)
            .filter(t => (t.match(/（任意）|\\(optional\\)/gi) || []).length > 1)"""
    )
    assert doubled == [], f"labels that say optional twice: {doubled}"
    assert page.js_errors == [], f"JavaScript errors: {page.js_errors}"  # type: ignore[attr-defined]


def round_section(page: Page, code: str = "dx-2025-r1"):  # type: ignore[no-untyped-def]
    return page.locator(f"main section[aria-labelledby='sch-{code}']")


# --- 1. The schedule --------------------------------------------------------------------------


def test_schedule_shows_the_closed_round_in_seireki_and_wareki(page: Page, shot) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    assert today > ROUND_CLOSES, "this test expects the real clock to be after round 1 closed"

    page.goto("/")
    assert_page_basics(page)
    expect(page).to_have_title(re.compile("トップ"))
    expect(page.locator("h1")).to_have_text("中小企業DX経営高度化推進支援制度")

    # The skip link works from the keyboard.
    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    expect(page.locator("a.skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # The home page says plainly that round 1 is closed.
    notice = page.locator("main section.notice[aria-labelledby='round-dx-2025-r1']")
    expect(notice).to_be_visible()
    expect(notice.locator("h2")).to_contain_text("2025年度 第1回公募")
    expect(notice.locator(".status")).to_have_text("受付終了")
    expect(notice).to_contain_text(
        "この公募回の申請受付は2026年4月30日で終了しました。現在は申請できません。"
    )
    expect(notice).to_contain_text("次の公募回が決まりしだい、このサイトでお知らせします。")
    expect(page.get_by_text("受付中", exact=True)).to_have_count(0)
    shot("01-home")

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="スケジュール").click()
    expect(page).to_have_url(re.compile(r"/schedule/$"))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("スケジュール")
    expect(page.locator("nav a[aria-current='page']")).to_have_text("スケジュール")
    expect(page.locator("main")).to_contain_text(
        f"受付状況は本日（{today.year}年{today.month}月{today.day}日、日本時間）時点のものです。"
    )

    section = round_section(page)
    expect(section.locator("h2").first).to_contain_text("2025年度 第1回公募")
    expect(section.locator("h2 .status").first).to_have_text("受付終了")
    expect(section.locator("h2 .status").first).to_have_class(re.compile(r"status--closed"))

    period = section.locator("tbody tr", has=page.get_by_role("rowheader", name="申請受付期間"))
    expect(period).to_have_count(1)
    cell = period.locator("td")
    expect(cell).to_contain_text("2025年11月1日（令和7年11月1日）")
    expect(cell).to_contain_text("2026年4月30日（令和8年4月30日）")
    expect(cell.locator("time")).to_have_count(2)
    expect(cell.locator("time").nth(0)).to_have_attribute("datetime", "2025-11-01")
    expect(cell.locator("time").nth(1)).to_have_attribute("datetime", "2026-04-30")
    expect(section.get_by_role("columnheader", name="期間（予定）")).to_be_visible()
    programme = section.locator("tbody tr", has=page.get_by_role("rowheader", name="支援プログラム対象期間"))
    expect(programme.locator("td")).to_contain_text("2027年4月30日（令和9年4月30日）")

    expect(section.locator(".notice--warning")).to_have_text(
        "スケジュールは予定です。変更する場合は本サイトでお知らせします。"
    )
    # The round's notice on the schedule page says closed, too.
    expect(section.locator("section.notice--closed")).to_contain_text("現在は申請できません。")
    shot("02-schedule")


# --- 2. Language switch -----------------------------------------------------------------------


def test_language_switch_shows_english_data_and_sticks(page: Page, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/schedule/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_role("button", name="English").click()

    # Back on the same page, now in English.
    expect(page).to_have_url(re.compile(r"/schedule/$"))
    assert_page_basics(page, lang="en")
    section = round_section(page)
    expect(section.locator("h2").first).to_contain_text("FY2025 Round 1")
    expect(section.locator(".notice--warning")).to_have_text(
        "The schedule is planned and may change. Any change is announced on this site."
    )
    period = section.locator("tbody tr").first
    expect(period.locator("th")).to_have_text("Application period")
    expect(period.locator("td")).to_contain_text("1 November 2025")
    expect(period.locator("td")).to_contain_text("30 April 2026")
    expect(period.locator("td")).not_to_contain_text("令和")  # no Japanese era dates in English
    expect(page.locator("main")).not_to_contain_text("2025年度 第1回公募")
    expect(page.get_by_role("button", name="日本語")).to_be_visible()
    shot("01-schedule-en")

    # The choice sticks on the next page.
    page.locator("nav.site-nav a[href='/faq/']").click()
    expect(page).to_have_url(re.compile(r"/faq/$"))
    assert_page_basics(page, lang="en")
    expect(page.locator("main")).to_contain_text("Can we apply directly?")
    expect(page.locator("main")).not_to_contain_text("自社で直接申請できますか。")
    expect(page.locator("footer")).to_contain_text(
        "Association for the Promotion of Small and Medium Enterprises"
    )
    shot("02-faq-en")

    # And back to Japanese.
    page.get_by_role("button", name="日本語").click()
    expect(page).to_have_url(re.compile(r"/faq/$"))
    assert_page_basics(page, lang="ja")
    expect(page.locator("main")).to_contain_text("自社で直接申請できますか。")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("中小企業DX経営高度化推進支援制度")
    shot("03-home-ja-again")


# --- 3. The self-check ------------------------------------------------------------------------


def fill_self_check(
    page: Page, *, entity: str, employees: str, capital: str, ties: str = "いいえ", compliance: str = "はい"
) -> None:
    page.get_by_role("group", name="事業者の形態").get_by_label(entity, exact=True).check()
    page.get_by_label("常時使用する従業員数（人）").fill(employees)
    page.get_by_label("資本金（円）").fill(capital)
    page.get_by_role("group", name="反社会的勢力との関係がある").get_by_label(ties, exact=True).check()
    page.get_by_role("group", name="法令および公序良俗を遵守している").get_by_label(
        compliance, exact=True
    ).check()


def submit_self_check(page: Page) -> None:
    """Click "結果を見る"; htmx swaps the body in place, without htmx the page reloads."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/self-check/" in r.url) as resp:
        page.get_by_role("button", name="結果を見る").click()
    assert resp.value.status == 200, resp.value.status
    page.wait_for_load_state()


def test_self_check_eligible_ineligible_and_input_error(page: Page, shot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.get_by_role("link", name="対象になるか確認する").click()
    # No round is open (round 1 closed in April 2026): the page says so and offers its rules.
    expect(page.locator("main")).to_contain_text("現在、申請を受け付けている公募回はありません")
    page.get_by_role("link", name="2025年度 第1回公募の要件で確認する").click()
    expect(page).to_have_url(re.compile(r"/rounds/dx-2025-r1/self-check/$"))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("申請要件セルフチェック")
    expect(page.locator("main")).to_contain_text("2025年度 第1回公募")
    expect(page.locator("main .status").first).to_have_text("受付終了")
    expect(page.locator("#self-check-result")).to_have_count(0)
    expect(page.locator(".error-summary")).to_have_count(0)
    shot("01-form")

    # Eligible; the capital typed with full-width digits, as a Japanese IME would.
    fill_self_check(page, entity="法人", employees="20", capital="３０００００００")
    submit_self_check(page)
    result = page.locator("#self-check-result")
    expect(result.locator("h2")).to_have_text("基本要件を満たしています")
    expect(result).to_have_class(re.compile(r"result--yes"))
    # The round is closed, so the result must not suggest applying now.
    expect(result).to_contain_text("ただし、この公募回は現在申請を受け付けていません。")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    assert_page_basics(page)
    shot("02-eligible")

    # Not eligible on two counts; both reasons are listed.
    page.goto("/rounds/dx-2025-r1/self-check/")
    fill_self_check(page, entity="法人", employees="150", capital="60000000")
    submit_self_check(page)
    result = page.locator("#self-check-result")
    expect(result.locator("h2")).to_have_text("基本要件を満たしていません")
    expect(result).to_have_class(re.compile(r"result--no"))
    reasons = result.locator("li")
    expect(reasons).to_have_count(2)
    expect(result.locator("li[data-code='employees_max']")).to_have_text(
        "常時使用する従業員が100人以下である必要があります。"
    )
    expect(result.locator("li[data-code='capital_max']")).to_have_text(
        "法人の場合、資本金が5,000万円未満である必要があります。"
    )
    expect(result).not_to_contain_text("基本要件を満たしています")
    assert_page_basics(page)
    shot("03-not-eligible")

    # Input error: a corporation that leaves the capital empty.
    page.goto("/rounds/dx-2025-r1/self-check/")
    fill_self_check(page, entity="法人", employees="20", capital="")
    submit_self_check(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator("h2")).to_have_text("入力内容を確認してください")
    expect(page.locator("#self-check-result")).to_have_count(0)
    links = summary.locator("a")
    expect(links).to_have_count(1)
    link = links.first
    expect(link).to_have_attribute("href", "#id_capital_yen")
    # The message names the question, the answer that asks for it, and what to do.
    expect(link).to_have_text("「事業者の形態」が「法人」の場合は、「資本金（円）」を入力してください。")
    # "At the top": above the form and above every field.
    summary_box = summary.bounding_box()
    form_box = page.locator("form[action*='self-check']").bounding_box()
    assert summary_box and form_box and summary_box["y"] + summary_box["height"] <= form_box["y"]
    # The other answers were kept.
    expect(page.get_by_label("常時使用する従業員数（人）")).to_have_value("20")
    expect(page.get_by_role("group", name="事業者の形態").get_by_label("法人", exact=True)).to_be_checked()
    # The field shows its own message too.
    expect(page.locator(".field--error")).to_contain_text("「資本金（円）」を入力してください。")
    assert_page_basics(page)
    shot("04-input-error")

    link.click()
    capital = page.locator("#id_capital_yen")
    expect(capital).to_be_focused()
    expect(capital).to_be_in_viewport()
    capital.fill("１０，０００，０００")  # full-width digits and commas are accepted too
    submit_self_check(page)
    expect(page.locator("#self-check-result h2")).to_have_text("基本要件を満たしています")
    expect(page.locator(".error-summary")).to_have_count(0)


# --- 4. An inquiry ----------------------------------------------------------------------------


def test_inquiry_is_received_once_and_acknowledged(  # type: ignore[no-untyped-def]
    page: Page,
    shot,
    monkeypatch: pytest.MonkeyPatch,
    django_db_reset_sequences: None,
) -> None:
    # A slow server, so the later clicks land while the first request is still in flight.
    from dxgrant.public.services import contact as services

    real_submit = services.submit_inquiry

    def slow_submit(**kwargs: object) -> object:
        result = real_submit(**kwargs)
        time.sleep(0.8)
        return result

    monkeypatch.setattr(services, "submit_inquiry", slow_submit)

    page.goto("/")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="お問い合わせ").click()
    expect(page).to_have_url(re.compile(r"/contact/$"))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("お問い合わせ")
    submit = page.get_by_role("button", name="送信する")

    # An empty form: an error summary linking to each missing answer; nothing stored.
    with page.expect_response(lambda r: r.request.method == "POST") as resp:
        submit.click()
    assert resp.value.status == 400
    page.wait_for_load_state()
    expect(page).to_have_title(re.compile(r"^エラー: お問い合わせ"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert set(hrefs) == {"#id_name", "#id_email", "#id_category", "#id_message", "#id_agree"}, hrefs
    for href in hrefs:
        assert page.locator(href).count() == 1, f"error link {href} points at nothing"
    expect(summary).to_contain_text("同意いただけない場合は送信できません。")
    assert_page_basics(page)
    shot("01-empty-form-errors")
    summary.locator("a[href='#id_email']").click()
    expect(page.locator("#id_email")).to_be_focused()
    assert Inquiry.objects.count() == 0
    assert len(mail.outbox) == 0

    # A filled form, typed the way people do on a Japanese keyboard.
    page.get_by_label("お名前").fill("山田 太郎")
    page.get_by_label(re.compile(r"^会社名・屋号")).fill("山田製作所株式会社")
    page.get_by_label("メールアドレス").fill("ｔａｒｏ＠example.jp")
    page.get_by_role("group", name="お問い合わせの種類").get_by_label("申請要件について").check()
    page.get_by_label("お問い合わせ内容").fill(
        "資本金3,000万円の製造業ですが、次回の公募はいつ頃でしょうか。"
    )
    page.get_by_label("入力した内容をお問い合わせへの回答のために利用することに同意します。").check()
    shot("02-filled")

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.post_data or "") if r.method == "POST" else None)
    submit = page.get_by_role("button", name="送信する")
    box = submit.bounding_box()
    assert box is not None
    submit.dblclick(no_wait_after=True)
    # An impatient third click at the same spot while the first request is still in flight.
    page.wait_for_timeout(250)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/contact/thanks/$"))
    page.wait_for_load_state()
    assert_page_basics(page)

    expect(page.locator("h1")).to_have_text("お問い合わせを受け付けました")
    reference = page.locator("main .result strong")
    expect(reference).to_have_text(re.compile(r"^Q-\d{6}$"))
    expect(reference).to_have_text("Q-000001")
    # The address was normalised to half-width before it was stored and shown.
    expect(page.locator("main")).to_contain_text("受付確認のメールを taro@example.jp にお送りしました。")
    shot("03-thanks")

    assert Inquiry.objects.count() == 1, f"{Inquiry.objects.count()} inquiries after a double click ({posts})"
    inquiry = Inquiry.objects.get()
    assert inquiry.reference == "Q-000001"
    assert inquiry.email == "taro@example.jp"
    assert inquiry.name == "山田 太郎"
    assert inquiry.category == "eligibility"
    assert inquiry.language == "ja"
    assert inquiry.acknowledged_at is not None

    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    ack = mail.outbox[0]
    assert ack.to == ["taro@example.jp"]
    assert "Q-000001" in ack.subject
    assert "お問い合わせを受け付けました" in ack.subject
    assert "山田 太郎 様" in ack.body
    assert "受付番号: Q-000001" in ack.body
    assert "申請要件について" in ack.body

    # Reloading the thanks page neither resubmits nor sends again.
    page.reload()
    expect(page.locator("main .result strong")).to_have_text("Q-000001")
    assert Inquiry.objects.count() == 1
    assert len(mail.outbox) == 1

    # The same POST retried (a flaky connection, a browser retry): the server dedupes it too.
    assert posts and "submission_token=" in posts[-1], posts
    retry = page.request.post(
        page.url.replace("/contact/thanks/", "/contact/"),
        data=posts[-1],
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert retry.ok, retry.status
    assert retry.url.endswith("/contact/thanks/"), retry.url
    assert "Q-000001" in retry.text()
    assert Inquiry.objects.count() == 1
    assert len(mail.outbox) == 1
