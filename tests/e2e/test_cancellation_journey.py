"""A paid award cancelled, in a real browser: the secretariat cancels with a reason on the staff
application page → the public verification page of its notice says 取消し → the repayment demand is
on /staff/awards/repayments/ with its principal and due date → finance records a part of it, then
the rest → settled (完済), the application repaid.

The round is decided and published by the services (tests/awards/notice_builders.py: 株式会社A
awarded 6,000,000円) and A's notice issued by the service; A's payment (its one instalment, 一括交付)
is then set paid with the ORM, as tests/awards/cancellation_builders.py does (the payment journey
is tests/e2e/test_award_journey.py). Nothing is overdue, so no late charge: the figures are the
principal and what was paid.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Instalment, InstalmentStatus, Notice, RepaymentDemand
from dxgrant.awards.services import instalments, issuing
from dxgrant.decisions.models import Decision
from tests.awards.notice_builders import published_round
from tests.e2e.conftest import Site
from tests.e2e.test_application_full_journey import open_context
from tests.e2e.test_award_journey import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

AMOUNT = 6_000_000
FIRST_PART = 2_000_000
REASON = "補助対象経費に虚偽の請求があったため（交付規程第18条第1項第2号）。"


def issued_notice(secretariat: User, decision_id: int) -> Notice:
    """The notice issued by the service in a thread of its own: signing runs an asyncio loop
    (pyHanko), which cannot start inside the loop Playwright keeps in this thread."""

    def issue() -> Notice:
        try:
            return issuing.issue_notice(actor=secretariat, decision_id=decision_id)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(issue).result()


def test_cancelling_a_paid_award_until_repaid(  # type: ignore[no-untyped-def]
    page: Page, site: Site, e2e_browser: Browser, shot
) -> None:
    secretariat = UserFactory(role=Role.SECRETARIAT)
    _round, apps = published_round(site.programme, secretariat)
    award = apps["A"]
    notice = issued_notice(secretariat, Decision.objects.get(application=award).pk)
    (instalment,) = instalments.create_instalments(Application.objects.get(pk=award.pk))
    assert instalment.amount_yen == AMOUNT
    Instalment.objects.filter(pk=instalment.pk).update(
        status=InstalmentStatus.PAID, paid_on=timezone.localdate() - dt.timedelta(days=7)
    )
    Application.objects.filter(pk=award.pk).update(status=workflow.PAID)
    finance = UserFactory(role=Role.FINANCE)
    contexts: list[BrowserContext] = []

    def another() -> Page:
        context, other = open_context(e2e_browser, site)
        contexts.append(context)
        return other

    # --- 1. The public page says the notice is valid before.
    anyone = another()
    anyone.goto(f"/verify/notice/{notice.number}")
    expect(anyone.locator("#notice-status")).to_have_text("有効")

    # --- 2. The secretariat cancels with a reason on the staff application page.
    detail = f"/staff/applications/{award.pk}/"
    sign_in(page, secretariat, detail)
    page.locator("#cancel-decision summary").click()
    page.get_by_label("取消しの理由").fill(REASON)
    page.locator("#cancel-decision").get_by_role("button", name="交付決定を取り消す").click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.get_by_text("交付決定を取り消しました。申請者にメールで通知します。")).to_be_visible()
    expect(page.locator("#cancel-decision")).to_have_count(0)
    shot("cancelled")

    # --- 3. The notice's public verification page says cancelled at once.
    anyone.goto(f"/verify/notice/{notice.number}")
    expect(anyone.locator("#notice-number")).to_have_text(notice.number)
    expect(anyone.locator("#notice-status")).to_have_text("取消し")

    # --- 4. The demand: the 6,000,000円 paid, due on the date the round's rules give.
    demand = RepaymentDemand.objects.get(application=award)
    assert demand.principal_yen == AMOUNT
    assert demand.due_on > timezone.localdate()
    due = f"{demand.due_on.year}年{demand.due_on.month}月{demand.due_on.day}日"
    money = another()
    sign_in(money, finance, "/staff/awards/repayments/")
    row = money.locator("#repayments tbody tr", has_text="株式会社A")
    cells = row.locator("td")
    expect(cells.nth(2)).to_have_text("交付決定取消")  # the reason (a final amount may demand too)
    expect(cells.nth(3)).to_have_text("6,000,000円")
    expect(cells.nth(4)).to_have_text(due)
    expect(cells.nth(5)).to_have_text("0円")
    expect(cells.nth(6)).to_have_text("0円")
    expect(cells.nth(7)).to_have_text("6,000,000円")

    # --- 5. Finance records a part of it, then the rest.
    today = timezone.localdate().isoformat()
    row.get_by_label("返還額（円）").fill(f"{FIRST_PART:,}")
    row.get_by_label("納付日").fill(today)
    row.get_by_role("button", name="返還を記録する").click()
    expect(money.get_by_text("返還を記録しました。", exact=True)).to_be_visible()
    expect(cells.nth(5)).to_have_text("2,000,000円")
    expect(cells.nth(7)).to_have_text("4,000,000円")
    award.refresh_from_db()
    assert award.status == workflow.REPAYMENT_DUE

    row.get_by_label("返還額（円）").fill("4000000")
    row.get_by_label("納付日").fill(today)
    row.get_by_role("button", name="返還を記録する").click()
    expect(money.get_by_text("返還を記録しました。返還請求は完済となりました。")).to_be_visible()
    expect(cells.nth(5)).to_have_text("6,000,000円")
    expect(cells.nth(6)).to_have_text("0円")
    expect(cells.nth(7)).to_have_text("完済")
    expect(row.get_by_role("button", name="返還を記録する")).to_have_count(0)
    money.screenshot(full_page=True)
    demand.refresh_from_db()
    assert demand.settled_on == timezone.localdate()
    award.refresh_from_db()
    assert award.status == workflow.REPAID

    # --- 6. The staff application page shows the end state and no cancel form.
    page.goto(detail)
    expect(page.locator("main")).to_contain_text(workflow.LIFECYCLE.label(workflow.REPAID))
    expect(page.locator("#cancel-decision")).to_have_count(0)
    shot("repaid")
    for context in contexts:
        context.close()
