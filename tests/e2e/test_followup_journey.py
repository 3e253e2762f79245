"""After the grant (issue 12's "Done means") in a real browser, one journey with the clock moved
forward: monthly support reports (one acknowledged, one disputed and corrected) → a plan change
approved (version 1 and its difference) → after the programme period, the results report (amounts,
evidence with dates, narrative; the advisor marks it ready, the applicant confirms with the
authenticator) → the secretariat approves: the final amount, lower than decided, and the reduced
last instalment → the baseline and three KPI years, the company's chart and table → a survey of
two questions, answered in the task list and counted as submitted.

Time: the live server runs in a thread of this process, so `time_machine.travel` moves its clock
(Django's `timezone.now`, `time.time` for the one-time codes) together with the test's. Chromium's
clock is not moved; the session cookies' expiry is set by the server, so each move of months or
years is followed by signing in again (the server's sessions of two weeks have expired by then).

The award is built with the builders (not clicked through the application): decided 3,000,000円
in a round paid in two instalments (60% on acceptance, 40% after the results report), accepted on
2026-10-01, the first instalment of 1,800,000円 paid. Its plan (tests/factories fill_application):
クラウド受発注システム 3,000,000円 and データ活用研修 1,000,000円 (eligible, 税抜).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Acceptance, Instalment, InstalmentStatus
from dxgrant.awards.services import instalments
from dxgrant.programs.models import Round
from dxgrant.reporting import plans
from dxgrant.reporting.results_models import ResultsReport
from tests.accounts.test_sign_in import current_code
from tests.awards.final_amount_builders import two_instalment_round
from tests.awards.payments_builders import award_decision
from tests.e2e.conftest import Site
from tests.e2e.test_application_full_journey import open_context
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import enrol_totp
from tests.factories.applications import fill_application, make_application, make_version
from tests.factories.files import pdf_bytes
from tests.factories.support import representative_of

pytestmark = pytest.mark.e2e

TOKYO = ZoneInfo("Asia/Tokyo")
COMPANY = "株式会社みらい製作所"
DECIDED = 3_000_000
PERIOD_STARTS = dt.date(2026, 9, 1)
PERIOD_ENDS = dt.date(2027, 1, 29)
ACCEPTED_ON = dt.date(2026, 10, 1)
CLOUD, TRAINING = "クラウド受発注システム", "データ活用研修"
# Evidence dates, in order, inside the programme period.
EVIDENCE = [
    ("見積書", "2026-10-05"),
    ("発注書・契約書", "2026-10-12"),
    ("納品書・検収書", "2026-11-02"),
    ("請求書", "2026-11-16"),
    ("支払を証する書類", "2026-11-30"),
]
# KPI figures per year (baseline, years 1-3): sales, operating profit, personnel, depreciation,
# employees. Value added = 営業利益 + 人件費 + 減価償却費; labour productivity = it per employee.
KPI_FIGURES = [
    ("300,000,000", "12,000,000", "60,000,000", "8,000,000", "20"),
    ("310,000,000", "16,000,000", "60,000,000", "8,000,000", "20"),
    ("320,000,000", "20,000,000", "60,000,000", "8,000,000", "20"),
    ("330,000,000", "24,000,000", "60,000,000", "8,000,000", "20"),
]
PRODUCTIVITY = ["4,000,000円", "4,200,000円", "4,400,000円", "4,600,000円"]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def accepted_paid_award(site: Site, secretariat: User) -> Application:
    """Decided 3,000,000円 in two instalments; accepted on 2026-10-01 and the first paid."""
    round_obj = two_instalment_round(site.programme)
    Round.objects.filter(pk=round_obj.pk).update(
        programme_period_starts=PERIOD_STARTS, programme_period_ends=PERIOD_ENDS
    )
    round_obj = Round.objects.get(pk=round_obj.pk)
    application = make_application(
        site.programme, round_obj=round_obj, status=workflow.ACCEPTED, company_name=COMPANY
    )
    fill_application(application)
    make_version(application)
    award_decision(application, amount_yen=DECIDED, by=secretariat)
    applicant = representative_of(application.engagement)
    Acceptance.objects.create(
        application=application,
        accepted_by=applicant,
        accepted_at=at(ACCEPTED_ON),
        notified_on=ACCEPTED_ON,
        last_day=ACCEPTED_ON,
        conditions=[],
    )
    application = Application.objects.get(pk=application.pk)
    first, _final = instalments.create_instalments(application)
    Instalment.objects.filter(pk=first.pk).update(status=InstalmentStatus.PAID, paid_on=dt.date(2026, 10, 20))
    Application.objects.filter(pk=application.pk).update(status=workflow.PAID)
    return Application.objects.select_related("round", "acceptance").get(pk=application.pk)


def sign_in(page: Page, user: User, path: str) -> int:
    """Password, then the authenticator code if asked; lands on `path`. Returns the code's period."""
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("メールアドレス").fill(user.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/|" + re.escape(path)))
    period = int(time.time()) // 30
    if "/accounts/2fa/authenticate/" in page.url:
        code = current_code()
        period = int(time.time()) // 30
        page.locator("input[name=code]").fill(code)
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    return period


def code_after(period: int) -> str:
    """A code from a later 30-second period than `period` (a code is accepted once)."""
    while int(time.time()) // 30 <= period:
        time.sleep(0.5)
    return current_code()


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def test_followup_from_support_reports_to_survey(
    page: Page, site: Site, e2e_browser: Browser, tmp_path: Path, artifacts_dir: Path
) -> None:
    contexts: list[BrowserContext] = []

    def shot(pg: Page, step: str) -> None:
        pg.screenshot(path=str(artifacts_dir / f"followup_journey--{step}.png"), full_page=True)

    def another() -> Page:
        context, other = open_context(e2e_browser, site)
        contexts.append(context)
        return other

    with time_machine.travel(at(dt.date(2026, 12, 3)), tick=True):
        assert timezone.localdate() == dt.date(2026, 12, 3)
        secretariat = UserFactory(role=Role.SECRETARIAT)
        application = accepted_paid_award(site, secretariat)
        pk = application.pk
        applicant = representative_of(application.engagement)
        advisor = application.engagement.lead_advisor
        for person in (applicant, advisor, secretariat):
            enrol_totp(person)
        milestones = [m["title"] for m in plans.current_plan(application).milestones]
        assert milestones, "the plan has milestones to report on"

        # --- 2. Monthly support reports: October and November.
        advisors_page = page
        sign_in(advisors_page, advisor, f"/applications/{pk}/support-reports/")
        expect(advisors_page.locator("h1")).to_have_text("月次支援報告")
        expect(advisors_page.locator("#month-2026-10")).to_contain_text("未提出（期限超過）")
        for month, activities in (
            ("2026-10", "受発注システムの要件定義を支援しました。"),
            ("2026-11", "ベンダー選定の会議に同席しました。"),
        ):
            file_support_report(advisors_page, pk, month, milestones, activities)
            expect(advisors_page.locator(f"#month-{month}")).to_contain_text("提出済み（確認待ち）")
        shot(advisors_page, "01-support-reports-filed")

        mine = another()
        sign_in(mine, applicant, f"/applications/{pk}/support-reports/")
        mine.locator("#month-2026-10").get_by_role("link", name="報告を見る").click()
        expect(mine.locator("#activities")).to_have_text("受発注システムの要件定義を支援しました。")
        mine.get_by_role("button", name="内容を確認しました").click()
        expect(mine.locator("#report-status")).to_contain_text("確認済み")
        mine.goto(f"/applications/{pk}/support-reports/")
        mine.locator("#month-2026-11").get_by_role("link", name="報告を見る").click()
        mine.get_by_label("異議の内容").fill("会議には同席していません。実施したのは電話での相談です。")
        mine.get_by_role("button", name="異議を申し立てる").click()
        expect(mine.locator("#report-status")).to_contain_text("異議あり")

        advisors_page.goto(f"/applications/{pk}/support-reports/")
        expect(advisors_page.locator("#month-2026-11")).to_contain_text("異議あり")
        advisors_page.locator("#month-2026-11").get_by_role("link", name="訂正した報告を作成する").click()
        expect(advisors_page.locator("#dispute-shown")).to_contain_text("電話での相談です")
        fill_support_report(advisors_page, milestones, "ベンダー選定について電話で相談に応じました。")
        # Typed, not saved with a button: the draft autosaves, and a reload finds it.
        advisors_page.get_by_label("課題").press_sequentially("担当者の確保")
        expect(advisors_page.locator("#autosave-status")).to_contain_text(
            "下書きを保存しました", timeout=10_000
        )
        advisors_page.reload()
        expect(advisors_page.get_by_label("課題")).to_have_value("担当者の確保")
        expect(advisors_page.get_by_label("支援内容")).to_have_value(
            "ベンダー選定について電話で相談に応じました。"
        )
        advisors_page.get_by_role("button", name="提出する").click()
        advisors_page.goto(f"/applications/{pk}/support-reports/")
        expect(advisors_page.locator("#month-2026-11")).to_contain_text("提出済み（確認待ち）")
        expect(advisors_page.locator("#month-2026-10")).to_contain_text("確認済み")
        expect(advisors_page.locator("#superseded")).to_contain_text("2026-11")
        shot(advisors_page, "02-support-report-corrected")

        # --- 3. A plan change: 400,000円 moved from the system to the training.
        mine.goto(f"/applications/{pk}/plan-changes/")
        mine.get_by_role("link", name="計画変更を申請する").click()
        expect(mine.locator("h1")).to_have_text("計画変更の申請")
        mine.get_by_label(CLOUD).fill("2,600,000")
        mine.get_by_label(TRAINING).fill("1,400,000")
        mine.get_by_label("変更の理由").fill(
            "クラウド利用料の値下げ分を、研修の受講者を増やすために使います。"
        )
        mine.get_by_role("button", name="計画変更を申請する").click()
        expect(mine.locator("main")).to_contain_text("計画変更を申請中です。事務局の決定をお待ちください。")

        staff = another()
        sign_in(staff, secretariat, "/staff/plan-changes/")
        staff.get_by_role("link", name=application.receipt_number).click()
        expect(staff.locator("main")).to_contain_text("研修の受講者を増やすため")
        staff.get_by_label("承認する", exact=True).check()
        staff.get_by_role("button", name="決定する").click()
        expect(staff.get_by_text("計画変更を承認しました。新しい計画の版を作成しました。")).to_be_visible()

        mine.goto(f"/applications/{pk}/plan-changes/")
        current = mine.locator("section", has=mine.locator("#plan-version-1"))
        expect(mine.locator("#plan-version-1")).to_have_text(re.compile(r"^\s*第1版\s*（現在の計画）\s*$"))
        expect(current).to_contain_text("2,600,000円")
        expect(current).to_contain_text("1,400,000円")
        expect(current).to_contain_text("前の版からの変更")
        expect(current).to_contain_text(f"変更された明細：{CLOUD}")
        expect(current).to_contain_text(f"変更された明細：{TRAINING}")
        expect(mine.locator("#plan-version-0")).to_have_text(re.compile(r"^\s*第0版（交付決定時の計画）\s*$"))
        shot(mine, "03-plan-version-1")

    # --- 4. After the programme period (ended 2027-01-29): the results report.
    with time_machine.travel(at(dt.date(2027, 2, 3)), tick=True):
        assert timezone.localdate() > PERIOD_ENDS
        sign_in(advisors_page, advisor, f"/applications/{pk}/results/")
        advisors_page.get_by_role("button", name="実績報告を作成する").click()
        expect(advisors_page.locator("#results-status")).to_contain_text("2027-02-28")
        advisors_page.get_by_label(f"{CLOUD}: 実績額（税抜・円）").fill("2400000")
        advisors_page.get_by_label(re.compile(f"^{CLOUD}: 支払先 ")).fill("株式会社クラウド")
        advisors_page.get_by_label(f"{TRAINING}: 実績額（税抜・円）").fill("1200000")
        advisors_page.get_by_label(re.compile(f"^{TRAINING}: 支払先 ")).fill("研修株式会社")
        advisors_page.locator("#lines-form").get_by_role("button", name="保存する").click()
        expect(advisors_page.locator("main")).to_contain_text("2,400,000円")

        mine = another()
        signed_in = sign_in(mine, applicant, f"/applications/{pk}/results/")
        for item in (CLOUD, TRAINING):
            for kind, day in EVIDENCE:
                upload = tmp_path / f"{item}-{kind}.pdf"
                upload.write_bytes(pdf_bytes(f"{item} {kind}"))
                form = mine.locator("#evidence-form")
                form.get_by_label("経費", exact=True).select_option(label=item)
                form.get_by_label("書類の種類").select_option(label=kind)
                form.get_by_label("書類の日付").fill(day)
                form.get_by_label("ファイル").set_input_files(str(upload))
                form.get_by_role("button", name="添付する").click()
                expect(mine.locator("#evidence-form")).to_be_visible()
        mine.get_by_label("事業の成果").fill("受発注の入力時間が月40時間から10時間に減りました。")
        mine.get_by_label("事業の成果").press("End")
        # Typed, not saved with the button: the narrative autosaves, and a reload finds it.
        expect(mine.locator("#outcome-autosave-status")).to_contain_text("保存しました", timeout=10_000)
        mine.reload()
        expect(mine.get_by_label("事業の成果")).to_have_value(
            "受発注の入力時間が月40時間から10時間に減りました。"
        )
        mine.locator("#outcome-form").get_by_role("button", name="保存する").click()
        expect(mine.locator("#results-blocking")).to_have_count(0)
        evidence = mine.locator("#line-0-evidence")
        expect(evidence.locator("li")).to_have_count(len(EVIDENCE))
        for kind, day in EVIDENCE:
            expect(evidence).to_contain_text(f"{kind} ・ {day}")
        shot(mine, "04-results-filled")

        advisors_page.reload()
        advisors_page.get_by_role("button", name="申請者に確定を依頼する").click()
        mine.reload()
        mine.get_by_role("link", name="実績報告を確定する").click()
        expect(mine.locator("h1")).to_have_text("実績報告の確定")
        expect(mine.locator("main")).to_contain_text("3,600,000円")
        mine.locator("input[name=code]").fill(code_after(signed_in))
        mine.get_by_role("button", name="実績報告を確定する").click()
        expect(mine.locator("#results-status")).to_contain_text("審査中")

        # --- 5. The secretariat approves: the final amount, lower than decided.
        report = ResultsReport.objects.get(application_id=pk)
        sign_in(staff, secretariat, f"/staff/results-reports/{report.pk}/")
        expect(staff.locator("#results-eligible")).to_contain_text("3,600,000円")
        staff.get_by_role("button", name="承認する").click()
        expect(staff.get_by_text("実績報告を承認しました。")).to_be_visible()
        staff.goto(f"/staff/applications/{pk}/")
        final = staff.locator("#final-amount")
        expect(final).to_contain_text("3,000,000円")  # decided
        expect(staff.locator("#final-amount-yen")).to_have_text("2,400,000円")
        expect(final).to_contain_text("1,800,000円")  # paid before
        expect(final).to_contain_text("これから支払う額")
        expect(final).to_contain_text("600,000円")
        shot(staff, "05-final-amount")
        assert (
            sorted(Instalment.objects.filter(application_id=pk).values_list("position", "amount_yen"))[-1][1]
            == 600_000
        )
        mine.goto(f"/applications/{pk}/")
        expect(mine.locator("#final-amount-yen")).to_have_text("2,400,000円")

        # --- 6a. The baseline (the last full year before the grant), filed now.
        mine.goto(f"/applications/{pk}/kpi/")
        file_kpi_year(mine, pk, KPI_FIGURES[0])

    # --- 6b. Each KPI year, after its anniversary of the approval.
    for year in (1, 2, 3):
        with time_machine.travel(at(dt.date(2027 + year, 2, 15)), tick=True):
            sign_in(mine, applicant, f"/applications/{pk}/kpi/")
            file_kpi_year(mine, pk, KPI_FIGURES[year])
    with time_machine.travel(at(dt.date(2030, 2, 20)), tick=True):
        sign_in(mine, applicant, f"/applications/{pk}/kpi/")
        expect(mine.locator("svg[role=img]")).to_have_count(1)
        table = mine.locator("#kpi-years")
        for figure in PRODUCTIVITY:
            expect(table).to_contain_text(figure)
        expect(table).to_contain_text("15")
        shot(mine, "06-kpi-chart")

        # --- 7. A survey of two questions, sent to the round's awardees.
        sign_in(staff, secretariat, "/staff/surveys/")
        staff.get_by_label("調査名（日本語）").fill("導入後の活用状況の調査")
        staff.get_by_label("回答期限").fill("2030-03-31")
        staff.get_by_role("button", name="作成する").click()
        expect(staff.locator("h1")).to_have_text("導入後の活用状況の調査")
        staff.get_by_label("セクション名（日本語）").fill("活用状況")
        staff.get_by_role("button", name="追加する").first.click()
        add_question(
            staff,
            "単一選択",
            "導入したシステムを今も使っていますか。",
            "毎日使っている\n時々使っている\n使っていない",
        )
        add_question(staff, "5段階評価", "支援の満足度を教えてください。")
        staff.get_by_label("公募回").select_option(value=str(application.round_id))
        mail.outbox.clear()
        staff.get_by_role("button", name="送付する").click()
        expect(staff.locator("#survey-counts")).to_contain_text("送付")
        (invitation,) = [m for m in mail.outbox if applicant.email in m.to]
        link = re.search(r"https?://\S+(/applications/\d+/surveys/\d+/)", invitation.body)
        assert link is not None, invitation.body

        mine.goto(link.group(1))
        expect(mine.locator("main")).to_contain_text("1項目中 0項目が完了しています。")
        mine.get_by_role("link", name="活用状況").click()
        mine.get_by_label("毎日使っている").check()
        # Answered, not saved with the button: the answer autosaves, and a reload finds it.
        expect(mine.locator("#autosave-status")).to_contain_text("保存しました", timeout=10_000)
        mine.reload()
        expect(mine.get_by_label("毎日使っている")).to_be_checked()
        mine.get_by_label("5").check()
        mine.get_by_role("button", name="保存する").click()
        expect(mine.locator("main")).to_contain_text("1項目中 1項目が完了しています。")
        mine.get_by_role("button", name="回答を提出する").click()
        expect(mine.locator("#survey-submitted")).to_be_visible()

        staff.reload()
        counts = staff.locator("#survey-counts")
        expect(
            counts.locator("dt", has_text="提出済み").locator("xpath=following-sibling::dd[1]")
        ).to_have_text("1")
        shot(staff, "07-survey-submitted")
    for context in contexts:
        context.close()


def fill_support_report(page: Page, milestones: list[str], activities: str) -> None:
    page.get_by_label("支援内容").fill(activities)
    for title in milestones:
        page.get_by_label(f"進捗：{title}").select_option("in_progress")
    page.get_by_label("次月の予定").fill("発注データの移行を支援します。")


def file_support_report(page: Page, pk: int, month: str, milestones: list[str], activities: str) -> None:
    page.goto(f"/applications/{pk}/support-reports/")
    page.locator(f"#month-{month}").get_by_role("link", name="報告を作成する").click()
    expect(page.locator("h1")).to_have_text(f"{month} の月次支援報告")
    fill_support_report(page, milestones, activities)
    page.get_by_role("button", name="提出する").click()
    page.goto(f"/applications/{pk}/support-reports/")


def file_kpi_year(page: Page, pk: int, figures: tuple[str, str, str, str, str]) -> None:
    """From the company's KPI page: the first year not yet filed."""
    page.locator("#kpi-years").get_by_role("link", name="報告する").first.click()
    sales, profit, personnel, depreciation, employees = figures
    page.get_by_label("売上高").fill(sales)
    page.get_by_label("営業利益").fill(profit)
    page.get_by_label("人件費").fill(personnel)
    page.get_by_label("減価償却費").fill(depreciation)
    page.get_by_label("従業員数（常勤換算）").fill(employees)
    for field in page.locator("input[name^=free_]").all():
        field.fill("10")
    page.get_by_role("button", name="報告する").click()
    page.goto(f"/applications/{pk}/kpi/")


def add_question(page: Page, kind: str, text: str, choices: str = "") -> None:
    form = page.locator("form", has=page.get_by_label("質問（日本語）"))
    form.get_by_label("セクション", exact=True).select_option(label="活用状況")
    form.get_by_label("種類").select_option(label=kind)
    form.get_by_label("質問（日本語）").fill(text)
    form.get_by_label("回答必須").check()
    if choices:
        form.get_by_label("選択肢（1行に1つ）").fill(choices)
    form.get_by_role("button", name="追加する").click()
    expect(page.locator("main")).to_contain_text(text)
