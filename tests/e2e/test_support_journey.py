"""Advisor support in a real browser: the advisor records a hearing and schedules a session that
is running now; the applicant acknowledges the hearing, checks in with the code shown on the
advisor's screen and passes the quiz; the advisor sees the attendance and has no control to
mark it."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import Page, expect

from dxgrant.accounts.models import Role
from dxgrant.support.models import Attendance, HearingRecord, HearingResponse, TrainingQuizAttempt
from tests.accounts.test_sign_in import current_code
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import wait_out_code_rollover
from tests.factories.advisors import add_advisor, certified_firm
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for

pytestmark = pytest.mark.e2e


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in on the site's page: the password, then, for an account with an authenticator app
    (advisors and staff), the code it shows (the factories' accounts share TOTP_SECRET)."""
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r"/(me|accounts/2fa/authenticate)/$"))
    if "/accounts/2fa/authenticate/" in page.url:
        page.locator("input[name=code]").fill(current_code())
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/me/$"))


def set_up_authenticator(page: Page, password: str = PASSWORD) -> str:
    """On the set-up page a person is sent to on their first sign-in (advisors): confirm the
    password if asked, copy the secret into the app, enter its code, keep the recovery codes and
    continue. Returns the secret."""
    expect(page.locator("h1")).to_have_text(re.compile("認証アプリを有効化する|アクセス確認"))
    if "アクセス確認" in page.locator("h1").inner_text():
        page.get_by_label("パスワード").fill(password)
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("認証アプリを有効化する")
    secret = page.get_by_label("認証アプリシークレット").input_value()
    wait_out_code_rollover()
    page.get_by_label("認証アプリコード").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="有効化する").click()
    expect(page.locator("main")).to_contain_text("リカバリーコードを保存したら")
    page.get_by_role("link", name="続ける").click()
    return secret


def test_hearing_training_check_in_and_quiz(page: Page, site, e2e_browser, shot, artifacts_dir) -> None:  # type: ignore[no-untyped-def]
    round_obj = open_round(site.programme)
    firm = certified_firm(site.programme, name="北海DXパートナーズ株式会社")
    advisor = add_advisor(firm, passed_course=True, display_name="佐藤 一郎")
    applicant = UserFactory(role=Role.APPLICANT, display_name="山田 花子")
    engagement = engagement_for(
        firm, advisor, round_obj, company_name="株式会社やまだ製作所", representative=applicant
    )

    # --- The advisor records a hearing.
    sign_in(page, advisor.email)
    page.goto("/support/")
    expect(page.locator("h1")).to_have_text("伴走支援")
    assert_page_basics(page)
    expect(page.locator("main")).to_contain_text("ヒアリング記録がありません")
    shot("01-dashboard")
    page.get_by_role("link", name="株式会社やまだ製作所").click()
    page.get_by_role("link", name="ヒアリング記録を作成する").click()
    assert_page_basics(page)
    page.get_by_label("出席者").fill("代表取締役 山田花子、アドバイザー 佐藤一郎")
    page.get_by_label("話し合った内容").fill("受発注の流れと、紙の伝票の転記について")
    page.get_by_label("見つかった経営課題").fill("在庫の把握に毎日2時間かかっている")
    page.get_by_label("合意した次の行動").fill("山田: 伝票の種類を一覧にする")
    page.get_by_role("button", name="保存して確認を依頼する").click()
    expect(page.locator(".messages")).to_contain_text("確認を依頼しました")
    expect(page.locator("main")).to_contain_text("確認待ち")

    # --- ...and schedules a session that is running now (Japan time).
    page.goto(f"/support/engagements/{engagement.pk}/training/new/")
    assert_page_basics(page)
    now = timezone.localtime()
    starts = max(now - dt.timedelta(minutes=10), now.replace(hour=0, minute=0))
    ends = min(now + dt.timedelta(minutes=60), now.replace(hour=23, minute=59))
    assert ends > now + dt.timedelta(minutes=1), "this journey cannot run in the last minute of a day"
    page.get_by_label(re.compile("DX経営の基礎")).check()
    page.get_by_label("実施日").fill(now.strftime("%Y-%m-%d"))
    page.get_by_label("開始時刻（日本時間）").fill(starts.strftime("%H:%M"))
    page.get_by_label("終了時刻（日本時間）").fill(ends.strftime("%H:%M"))
    page.get_by_label("オンライン").check()
    page.get_by_label("場所・URL").fill("https://meet.example.jp/yamada")
    page.get_by_role("button", name="登録して参加者に知らせる").click()
    expect(page.locator(".messages")).to_contain_text("研修を登録し")
    session_url = page.url
    code = page.get_by_test_id("checkin-code").inner_text().strip()
    assert re.fullmatch(r"[0-9]{6}", code)
    shot("02-session-with-code")

    # --- The applicant, in their own browser.
    context = e2e_browser.new_context(base_url=site.url, locale="ja-JP", timezone_id="Asia/Tokyo")
    them = context.new_page()
    them.js_errors = []  # type: ignore[attr-defined]
    them.on("pageerror", lambda exc: them.js_errors.append(str(exc)))  # type: ignore[attr-defined]
    try:
        sign_in(them, applicant.email)
        them.goto("/support/")
        expect(them).to_have_url(re.compile(r"/support/my/$"))
        them.get_by_role("link", name="株式会社やまだ製作所").click()
        assert_page_basics(them)
        expect(them.locator("main")).to_contain_text("1件の記録が確認を待っています")
        them.locator("table").get_by_role("link").first.click()
        expect(them.locator("main")).to_contain_text("在庫の把握に毎日2時間かかっている")
        them.get_by_label("内容を確認しました（事実と相違ありません）").check()
        them.get_by_role("button", name="回答を送る").click()
        expect(them.locator(".messages")).to_contain_text("回答を送りました")
        expect(them.locator("main")).to_contain_text("確認済み")

        them.get_by_role("link", name="株式会社やまだ製作所").click()
        them.get_by_role("link", name="出席コードを入力する").click()
        expect(them.locator("h1")).to_have_text("出席を記録する")
        assert_page_basics(them)
        # A wrong code first: told clearly, nothing recorded.
        them.get_by_label("出席コード（6桁）").fill(f"{(int(code) + 1) % 1_000_000:06d}")
        them.get_by_role("button", name="出席を記録する").click()
        expect(them.locator(".error-summary")).to_contain_text("コードが正しくありません")
        assert not Attendance.objects.exists()
        them.screenshot(
            path=str(artifacts_dir / "hearing_training_check_in_and_quiz--03-applicant-wrong-code.png"),
            full_page=True,
        )
        them.get_by_label("出席コード（6桁）").fill(code)
        them.get_by_role("button", name="出席を記録する").click()
        expect(them.locator(".messages")).to_contain_text("出席を記録しました")
        expect(them.locator("main")).to_contain_text("に出席を記録しました")

        them.get_by_role("link", name="確認テストへ進む").click()
        assert_page_basics(them)
        for question in round_obj.training["quiz"]:
            answer = next(c for c in question["choices"] if c["value"] == question["answer"])
            them.get_by_role("group", name=re.compile(re.escape(question["question_ja"]))).get_by_label(
                answer["label_ja"]
            ).check()
        them.get_by_role("button", name="解答を送る").click()
        expect(them.locator(".messages")).to_contain_text("確認テストに合格しました")
        them.get_by_role("link", name="研修の修了状況を見る").click()
        # Credited for the session's own length (the unit is 2 hours; this one is shorter).
        minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
        expect(them.locator("main")).to_contain_text(f"{round(minutes / 60, 2):g} / 6 時間")
        expect(them.locator("main")).to_contain_text("出席済み")
        expect(them.get_by_role("link", name="出席コードを入力する")).to_have_count(0)
        them.screenshot(
            path=str(artifacts_dir / "hearing_training_check_in_and_quiz--04-applicant-status.png"),
            full_page=True,
        )
        assert them.js_errors == []  # type: ignore[attr-defined]
    finally:
        context.close()

    # --- The advisor sees the attendance, and nothing to mark it with.
    page.goto(session_url)
    expect(page.locator("main")).to_contain_text("山田 花子")
    expect(page.locator("main")).to_contain_text("にチェックイン")
    expect(page.locator("main")).to_contain_text("この画面から出席を記録・変更することはできません")
    expect(page.locator("input[name=code]")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)  # not even a cancel button: the session started
    shot("05-advisor-sees-attendance")
    page.goto(f"/support/engagements/{engagement.pk}/attendance/")
    assert_page_basics(page)
    expect(page.locator("main")).to_contain_text("100%")
    expect(page.locator("main form")).to_have_count(0)
    # Trying the applicant's own page for checking in is refused.
    response = page.goto(session_url + "check-in/")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("申請者ご本人のみ")

    assert HearingRecord.objects.get().response == HearingResponse.ACKNOWLEDGED
    assert list(Attendance.objects.values_list("user", flat=True)) == [applicant.pk]
    assert TrainingQuizAttempt.objects.get().passed
