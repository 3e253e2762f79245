"""A firm administrator invites an advisor; the advisor joins from the email, reads the course,
fails the quiz once, passes it, and may then invite applicants. In a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from dxgrant.accounts.models import User
from dxgrant.advisors.models import CourseProgress
from tests.e2e.test_support_journey import set_up_authenticator, sign_in
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories.advisors import certified_firm, firm_admin

pytestmark = pytest.mark.e2e


def test_invited_advisor_joins_takes_the_course_and_passes(page: Page, site, e2e_browser, shot) -> None:  # type: ignore[no-untyped-def]
    firm = certified_firm(site.programme, name="北海DXパートナーズ株式会社")
    admin = firm_admin(firm)
    sign_in(page, admin.email)
    page.get_by_role("link", name=re.compile("事業者のページ")).click()
    expect(page.locator("h1")).to_have_text("北海DXパートナーズ株式会社")
    assert_page_basics(page)
    page.get_by_label("氏名").fill("鈴木 花子")
    page.get_by_label("メールアドレス").fill("hanako@hokkai-dx.example.jp")
    page.get_by_role("button", name="招待メールを送る").click()
    expect(page.locator(".messages")).to_contain_text("招待メールを送りました")
    expect(page.locator("main")).to_contain_text("hanako@hokkai-dx.example.jp")
    shot("01-invited")

    link = re.search(r"http://\S+/firm/join/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    path = "/firm/join/" + link.group(0).split("/firm/join/")[1]

    # The invited advisor, in their own browser.
    context = e2e_browser.new_context(base_url=site.url, locale="ja-JP", timezone_id="Asia/Tokyo")
    advisor = context.new_page()
    advisor.js_errors = []  # type: ignore[attr-defined]
    advisor.on("pageerror", lambda exc: advisor.js_errors.append(str(exc)))  # type: ignore[attr-defined]
    try:
        advisor.goto(path)
        expect(advisor.locator("main")).to_contain_text("北海DXパートナーズ株式会社")
        assert_page_basics(advisor)
        advisor.get_by_label("氏名").fill("鈴木 花子")
        advisor.get_by_label("パスワード").fill("hokkai-advisor-2026!")
        advisor.get_by_role("button", name="アカウントを作成して参加する").click()
        # Advisors need a second factor: the authenticator app is set up first, then the course.
        set_up_authenticator(advisor)
        expect(advisor).to_have_url(re.compile(r"/firm/course/$"))
        expect(advisor.locator("h1")).to_have_text("アドバイザー研修")
        modules = site.programme.advisor_course["modules"]
        advisor.get_by_role("link", name=modules[0]["title_ja"]).click()
        for index, module in enumerate(modules):
            expect(advisor.locator("h1")).to_have_text(module["title_ja"])
            last = index + 1 == len(modules)
            advisor.get_by_role(
                "button", name="読みました。確認テストへ" if last else "読みました。次の単元へ"
            ).click()
        expect(advisor.locator("h1")).to_have_text("確認テスト")
        assert_page_basics(advisor)
        quiz = site.programme.advisor_course["quiz"]
        # First try: two wrong answers (60%) fails.
        for number, question in enumerate(quiz):
            wrong = number < 2
            choice = next(c for c in question["choices"] if (c["value"] == question["answer"]) != wrong)
            advisor.get_by_role("group", name=question["question_ja"]).get_by_label(
                choice["label_ja"]
            ).check()
        advisor.get_by_role("button", name="採点する").click()
        expect(advisor.locator("#quiz-result")).to_contain_text("合格点に届きませんでした")
        expect(advisor.locator("#quiz-result")).to_contain_text("5問中3問正解（60%）")
        shot("02-failed")
        for question in quiz:
            choice = next(c for c in question["choices"] if c["value"] == question["answer"])
            advisor.get_by_role("group", name=question["question_ja"]).get_by_label(
                choice["label_ja"]
            ).check()
        advisor.get_by_role("button", name="採点する").click()
        expect(advisor.locator("#quiz-result")).to_contain_text("合格です。アドバイザー研修を修了しました。")
        advisor.get_by_role("link", name="事業者のページへ").click()
        expect(advisor.locator("main")).to_contain_text("申請者を招待できます")
    finally:
        context.close()

    user = User.objects.get(email="hanako@hokkai-dx.example.jp")
    assert CourseProgress.objects.get(user=user).passed_at is not None
    page.reload()
    row = page.locator("tr", has_text="hanako@hokkai-dx.example.jp")
    expect(row).to_contain_text("修了")
    expect(row).not_to_contain_text("未修了")
    shot("03-team")
