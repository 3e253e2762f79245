"""The formal screening (形式審査) in a real browser: the secretariat opens the screening queue,
opens the submitted documents, works through the checklist of one application item by item and
passes it to review; tries to pass another with nothing confirmed (refused, with the items
named), rejects it as ineligible with reasons; the applicant signs in and reads the reasons on
the application's page."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import Browser, Page, expect

from dxgrant.accounts.models import Role
from dxgrant.applications.models import Application, ApplicationDocument
from tests.e2e.conftest import Site
from tests.e2e.test_application_full_journey import open_context
from tests.e2e.test_staff_search import sign_in_with_code
from tests.factories import PASSWORD, UserFactory
from tests.factories.applications import complete, make_application, make_version
from tests.factories.rounds import open_round
from tests.factories.support import representative_of

pytestmark = pytest.mark.e2e

REASONS = "従業員数が申請要件（300人以下）を超えているため、本支援金の対象外です。"


def submitted(site: Site, name: str) -> Application:
    application = complete(
        make_application(site.programme, round_obj=open_round(site.programme), company_name=name)
    )
    application.refresh_from_db()
    for document in ApplicationDocument.objects.filter(application=application, budget_line__isnull=True):
        document.file.name = default_storage.save(
            f"applications/e2e/{document.pk}.pdf", ContentFile(b"%PDF-1.4")
        )
        document.save(update_fields=["file"])
    make_version(application)
    return application


def test_screen_pass_one_and_reject_another(page: Page, site: Site, e2e_browser: Browser, shot) -> None:  # type: ignore[no-untyped-def]
    passing = submitted(site, "株式会社通過製作所")
    rejected = submitted(site, "株式会社対象外商事")
    staff = UserFactory(role=Role.SECRETARIAT)

    # --- 1. The queue: both, oldest submission first, nothing confirmed yet.
    sign_in_with_code(page, staff, "/staff/applications/")
    page.get_by_role("link", name="形式審査の待ち行列").click()
    expect(page.locator("h1")).to_have_text("形式審査の待ち行列")
    page.select_option("#round", passing.round.code)
    page.get_by_role("button", name="表示する").click()
    table = page.locator("main table")
    expect(table).to_contain_text("株式会社通過製作所")
    expect(table).to_contain_text("株式会社対象外商事")
    assert table.locator("tbody tr").first.inner_text().count("株式会社通過製作所") == 1
    shot("queue")

    # --- 2. The secretariat opens each submitted document (the checklist shows who opened it).
    page.get_by_role("link", name=passing.receipt_number).click()
    expect(page.locator("h1")).to_contain_text("株式会社通過製作所")
    expect(page.locator("#item-documents")).to_contain_text("事務局がまだ開いていません")
    page.get_by_role("link", name="申請の詳細").click()
    for document in ApplicationDocument.objects.filter(application=passing, budget_line__isnull=True):
        with page.expect_download():
            page.get_by_role("link", name=document.original_name).click()
    page.go_back()
    page.reload()
    expect(page.locator("#item-documents")).to_contain_text(f"{staff.email}が")

    # --- 3. Each item confirmed as met; then passed to review.
    for item in passing.round.rules.review.screening:
        card = page.locator(f"#item-{item.code}")
        card.get_by_label("満たす", exact=True).check()
        card.get_by_role("button", name="確認結果を保存").click()
        expect(page.locator(f"#item-{item.code}")).to_contain_text("事務局の確認: 満たす")
    total = len(passing.round.rules.review.screening)
    expect(page.locator("#progress")).to_have_text(f"{total} / {total}")
    shot("checklist-confirmed")
    page.get_by_role("button", name="形式審査を通過（交付審査へ）").click()
    expect(page.locator("#status")).to_have_text("交付審査中")
    expect(page.get_by_text("形式審査を通過としました。交付審査へ進みます。")).to_be_visible()

    # --- 4. The other: passing with nothing confirmed is refused, naming the items.
    page.get_by_role("link", name="形式審査の待ち行列へ戻る").click()
    expect(page.locator("main table")).not_to_contain_text("株式会社通過製作所")
    page.get_by_role("link", name=rejected.receipt_number).click()
    page.get_by_role("button", name="形式審査を通過（交付審査へ）").click()
    expect(page.locator("#pass-errors")).to_contain_text("交付審査へ進められません")
    # Rejecting without reasons is refused too; with reasons, it is rejected.
    page.get_by_role("button", name="要件を満たさないため不採択とする").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "不採択の理由を、申請者が読んで分かるように書いてください。"
    )
    page.get_by_label("不採択の理由（申請者とアドバイザーが読みます）").fill(REASONS)
    page.get_by_role("button", name="要件を満たさないため不採択とする").click()
    expect(page.locator("#status")).to_have_text("不採択")
    expect(page.locator("#decision-title")).to_have_text("要件を満たさないため不採択")
    shot("rejected")

    # --- 5. The applicant reads the reasons on the application's page.
    applicant = representative_of(rejected.engagement)
    context, other = open_context(e2e_browser, site)
    try:
        other.goto(f"/accounts/login/?next=/applications/{rejected.pk}/")
        other.get_by_label("メールアドレス").fill(applicant.email)
        other.get_by_label("パスワード").fill(PASSWORD)
        other.get_by_role("button", name="ログイン").click()
        notice = other.locator("#screening-rejection")
        expect(notice).to_contain_text("要件を満たさないため不採択となりました")
        expect(notice).to_contain_text(REASONS)
    finally:
        context.close()
    rejected.refresh_from_db()
    passing.refresh_from_db()
    assert (passing.status, rejected.status) == ("in_review", "rejected")
