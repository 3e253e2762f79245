"""The review in a real browser (issue 10): the secretariat runs the draw on the round's progress
page; a reviewer it drew signs in with the second factor, accepts the round's confidentiality
terms, declares no conflict, scores every criterion with the keyboard (native radios, then Tab to
the criterion's comment), finds the autosaved draft after a reload, submits, and finds it locked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.review import lifecycle
from dxgrant.review.models import Assignment, AssignmentRun, Score
from tests.e2e.conftest import TIMEOUT_MS, Site
from tests.e2e.test_advisor_registration import current_code
from tests.e2e.test_visitor_journey import assert_page_basics
from tests.factories import PASSWORD, UserFactory
from tests.factories.applications import fill_application, make_application, make_version
from tests.factories.review import reviewer_in_pool
from tests.factories.rounds import open_round

pytestmark = pytest.mark.e2e


def sign_in_with_code(page: Page, user: User, path: str, heading: str) -> None:
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.locator("input[name=code]").fill(current_code())
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text(heading)


def test_draw_then_a_reviewer_scores_with_the_keyboard(  # type: ignore[no-untyped-def]
    page: Page, site: Site, e2e_browser: Browser, shot
) -> None:
    round_obj = open_round(site.programme)
    application = fill_application(
        make_application(
            site.programme, round_obj=round_obj, status=workflow.IN_REVIEW, company_name="株式会社審査テスト"
        )
    )
    make_version(application)
    reviewer = reviewer_in_pool(round_obj, accepted=False)
    for _ in range(2):
        reviewer_in_pool(round_obj)
    rules = round_obj.rules.review
    rubric = round_obj.rules.rubric

    # The secretariat runs the draw with a seed, in a browser of its own.
    staff_context = e2e_browser.new_context(base_url=site.url, locale="ja-JP", timezone_id="Asia/Tokyo")
    staff_context.set_default_timeout(TIMEOUT_MS)
    staff = staff_context.new_page()
    try:
        sign_in_with_code(
            staff,
            UserFactory(role=Role.SECRETARIAT),
            f"/staff/review/rounds/{round_obj.code}/",
            "交付審査の進捗",
        )
        staff.get_by_label("シード値").fill("20261130")
        staff.get_by_role("button", name="割り当てを実行する").click()
        expect(staff.locator("main")).to_contain_text("シード値 20261130")
        expect(staff.locator("#progress")).to_contain_text(str(rules.reviewers_per_application))
        expect(staff.locator("#workload")).to_contain_text(reviewer.email)
    finally:
        staff_context.close()
    run = AssignmentRun.objects.get()
    assert run.seed == 20261130 and run.created == 3
    place = Assignment.objects.get(application=application, reviewer=reviewer)
    receipt = application.receipt_number
    assert receipt

    # The reviewer: second factor, then the terms before anything else.
    sign_in_with_code(page, reviewer, "/review/", "担当する審査")
    assert_page_basics(page)
    expect(page.locator("main")).not_to_contain_text(receipt)
    page.get_by_role("link", name="守秘義務の確認へ").click()
    page.get_by_role("button", name="上記の守秘義務に同意する").click()
    expect(page.locator("main")).to_contain_text(receipt)

    # The declaration shows the company, its firm and prefecture only.
    page.get_by_role("link", name="利益相反を申告する").click()
    expect(page.locator("h1")).to_have_text("利益相反の申告")
    expect(page.locator("main")).to_contain_text("株式会社審査テスト")
    page.get_by_label("利益相反はない").check()
    page.get_by_role("button", name="申告する").click()
    expect(page.locator("h1")).to_contain_text("採点")
    expect(page.locator(".review-layout__application")).to_be_visible()

    # Every criterion with the keyboard: Space checks the focused radio, an arrow moves the
    # choice one step down the scale, Tab goes on to the criterion's comment.
    chosen = rules.scale_max - 1
    for criterion in rubric:
        page.locator(f"input[name=score_{criterion.code}]").first.focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        expect(page.locator(f"input[name=score_{criterion.code}][value='{chosen}']")).to_be_checked()
        page.keyboard.press("Tab")
        expect(page.locator(f"#id_comment_{criterion.code}")).to_be_focused()
        page.keyboard.type(f"{criterion.code} の根拠")
    page.get_by_label("総評").focus()
    page.keyboard.type("全体として妥当な計画です。")
    page.keyboard.press("Tab")
    expect(page.locator("#autosave-status")).to_contain_text("保存しました", timeout=15_000)
    page.wait_for_timeout(2500)  # the last keyup's delayed autosave
    expect(page.locator("#autosave-status")).to_contain_text("保存しました")
    shot("draft")

    # The draft is kept: reload and find every choice and comment.
    page.reload()
    for criterion in rubric:
        expect(page.locator(f"input[name=score_{criterion.code}][value='{chosen}']")).to_be_checked()
        expect(page.locator(f"#id_comment_{criterion.code}")).to_have_value(f"{criterion.code} の根拠")
    expect(page.get_by_label("総評")).to_have_value("全体として妥当な計画です。")

    page.get_by_role("button", name="採点を提出する").click()
    expect(page.locator("main")).to_contain_text("採点を提出しました")
    expect(page.locator("main")).to_contain_text("提出した採点は変更できません")
    for criterion in rubric:
        expect(page.locator(f"input[name=score_{criterion.code}][value='{chosen}']")).to_be_disabled()
        expect(page.locator(f"#id_comment_{criterion.code}")).to_be_disabled()
    expect(page.get_by_label("総評")).to_be_disabled()
    expect(page.get_by_role("button", name="採点を提出する")).to_have_count(0)
    shot("submitted")
    place.refresh_from_db()
    assert place.status == lifecycle.SUBMITTED
    score = Score.objects.get(assignment=place)
    assert score.scores == {criterion.code: chosen for criterion in rubric}
    assert score.overall_comment == "全体として妥当な計画です。"
    assert page.js_errors == []  # type: ignore[attr-defined]
