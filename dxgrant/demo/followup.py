"""Everything after the grant, for the past demo round (demo/past_round.py), written through the
services the pages use with the clock turned back for each act:

- The main company (`applicant-past@`): a monthly support report for every month of
  implementation filed by the lead advisor and acknowledged by the applicant, except one month
  the applicant disputed and the advisor corrected; a plan change (money moved from the cloud
  system to the training line) requested by the applicant and approved by the secretariat; the
  results report (lines, evidence, KPIs, narrative) marked ready by the advisor, confirmed by the
  applicant with a code and approved by the secretariat: the cloud system cost less than planned,
  so the final amount is below the decided one and, the grant being paid in full, a repayment
  demand is made for the difference; then the baseline and three KPI years.
- The other companies: their results reports approved as planned, and their KPI years filed with
  growth from strong to falling, so the cohort's distribution has a shape.
- A survey sent to the round's awardees, answered by most of them (two have not finished).
- The dashboard's stored counts recounted, so the first look shows all of it.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from dxgrant.accounts.models import StepUpAttempt, StepUpPurpose, User
from dxgrant.applications.models import Application
from dxgrant.awards.models import RepaymentDemand
from dxgrant.awards.services import cancellation, codes
from dxgrant.programs.models import Programme, Round
from dxgrant.reporting import dashboard, kpi, plans, support_rules
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.results_models import ResultsReport
from dxgrant.reporting.services import kpi_reports, plan_changes, results_reports, support_reports
from dxgrant.reporting.support_policies import accepted_on
from dxgrant.surveys.models import Survey
from dxgrant.surveys.services import answering, building, sending

from . import clock, past_round
from .accounts import DEMO_DOMAIN, account, code_now, enrol_demo_totp

DISPUTED_MONTH_INDEX = 3  # the fourth month's report is disputed, then corrected
PLAN_CHANGE_MONTH_INDEX = 5
# The main company's cloud system cost this share of its plan (a discount the vendor gave).
CLOUD_ACTUAL_PERCENT = 85
EVIDENCE_KINDS = ["quotation", "order", "delivery", "invoice", "payment"]
# The main company's labour productivity against its baseline, year by year (percent): below
# its plan's target in year 1 (+5.8 %), above it in years 2 and 3 (+13.5 %, +21.2 %).
MAIN_CHANGE = [Decimal(c) for c in ["0", "4", "14", "24"]]
# The other companies' growth a year (percent), from strong to falling.
GROWTH = [Decimal(g) for g in ["9", "6", "2.5", "0", "12", "-3", "7.5"]]


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_PDF = _blank_pdf()


def _evidence_file(kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{kind}.pdf", _PDF, content_type="application/pdf")


def _applicant(application: Application) -> User:
    return application.engagement.members.get().user


# --- During implementation -------------------------------------------------------------------


def _content(
    application: Application, index: int, *, corrected: bool = False
) -> support_reports.ReportContent:
    plan = plans.current_plan(application)
    statuses = [
        support_rules.MilestoneStatus.DONE if index > 2 + i * 4 else support_rules.MilestoneStatus.IN_PROGRESS
        for i in range(len(plan.milestones))
    ]
    activities = (
        "受発注システムの設定を現場担当者と確認し、入力手順書を作成しました。"
        if index < 4
        else "需要予測のデータを整え、製造計画への反映方法を検討しました。"
    )
    if corrected:
        activities = "訪問は2回（第2週・第4週）。受発注システムの入力手順書を現場担当者と作成しました。"
    return support_reports.ReportContent(
        activities=activities,
        progress=[support_reports.Progress(str(status), "計画どおり") for status in statuses],
        problems="繁忙期は入力が後回しになりがちです。" if index % 3 == 1 else "",
        next_steps="来月は入力データの点検と、担当者向けの勉強会を行います。",
    )


def seed_support_reports(application: Application, advisor: User) -> None:
    """A report for every month of implementation, each acknowledged by the applicant; one month
    disputed (the visits were miscounted) and its correction filed and acknowledged."""
    applicant = _applicant(application)
    start = accepted_on(application)
    assert start is not None
    months = support_rules.months_of_implementation(start, application.round.programme_period_ends)
    for index, month in enumerate(months):
        with clock.as_of(month + dt.timedelta(days=27)):
            report = support_reports.file_report(
                actor=advisor,
                application=application,
                month=month,
                content=_content(application, index),
                token=uuid.uuid4(),
            )
        with clock.as_of(month + dt.timedelta(days=29)):
            if index == DISPUTED_MONTH_INDEX:
                support_reports.dispute_report(
                    actor=applicant,
                    report=report,
                    comment="訪問は1回ではなく2回でした。記録を直してください。",
                )
                report = support_reports.file_report(
                    actor=advisor,
                    application=application,
                    month=month,
                    content=_content(application, index, corrected=True),
                    token=uuid.uuid4(),
                )
            support_reports.acknowledge_report(actor=applicant, report=report)
        if index == PLAN_CHANGE_MONTH_INDEX:
            with clock.as_of(month + dt.timedelta(days=10)):
                _change_plan(application, applicant)


def _change_plan(application: Application, applicant: User) -> None:
    """The applicant moves a little money from the cloud system to the training; approved."""
    plan = plans.current_plan(application)
    amounts = [int(line.get("eligible_amount_yen") or 0) for line in plan.budget_lines]
    shift = amounts[0] // 20 // 10_000 * 10_000
    amounts[0] -= shift
    amounts[1] += shift
    change = plan_changes.request_change(
        actor=applicant,
        application=application,
        amounts=amounts,
        milestones=plan.milestones,
        reasons="現場の入力担当が増えたため、研修を1回増やします。費用はクラウドの初期設定費の見直し分から充てます。",
    )
    secretariat = User.objects.filter(email__startswith="secretariat@").get()
    plan_changes.approve_change(
        actor=secretariat, change=change, reason="対象経費の総額は変わらず、理由も妥当なため。"
    )


# --- The results report and the final amount ----------------------------------------------


def _prepare_results(
    application: Application, advisor: User, *, day: dt.date, cloud_percent: int
) -> ResultsReport:
    """The advisor fills in the results report with the applicant (who attaches the evidence)
    and marks it ready: the actual cost of each line (the cloud system at `cloud_percent` % of
    its plan), five dated documents a line, the KPIs so far and a narrative."""
    applicant = _applicant(application)
    with clock.as_of(day):
        report = results_reports.open_report(application=application, actor=advisor)
        lines = list(report.lines.order_by("index"))
        inputs = {
            line.index: results_reports.LineInput(
                line.planned_eligible_yen * (cloud_percent if line.index == 0 else 100) // 100 // 1000 * 1000,
                "株式会社クラウドワークス" if line.index == 0 else "株式会社まなび",
            )
            for line in lines
        }
        report = results_reports.save_lines(
            report=report, actor=advisor, revision=report.revision, lines=inputs
        )
        start = application.round.programme_period_starts
        for line in lines:
            for i, kind in enumerate(EVIDENCE_KINDS):
                results_reports.add_evidence(
                    line=line,
                    actor=applicant,
                    kind=kind,
                    file=_evidence_file(kind),
                    dated_on=start + dt.timedelta(days=90 + line.index * 30 + i * 7),
                )
        report.refresh_from_db()
        plan = plans.current_plan(application)
        row = plan.kpis.get("labour_productivity") or {}
        report = results_reports.save_outcome(
            report=report,
            actor=advisor,
            revision=report.revision,
            kpis={"labour_productivity": str(row.get("baseline", "")), "sales": "受注処理時間 40%減"},
            narrative="受発注をクラウドに移し、受注から出荷までの状況を全員が見られるようになりました。"
            "需要予測は試行中で、来期から製造計画に使います。",
        )
        return results_reports.mark_ready(report=report, actor=advisor)


def _code(application: Application, applicant: User, used_in: int | None) -> StepUpAttempt:
    """The applicant's code for the results report, from the demo authenticator. A code is
    accepted once: if they entered one in this period of the app (`used_in`), wait for the next."""
    enrol_demo_totp(applicant)
    if used_in is not None and past_round.code_period() <= used_in:
        time.sleep(30 - time.time() % 30 + 0.1)
    check = codes.verify_code(
        user=applicant,
        code=code_now(applicant),
        application=application,
        purpose=StepUpPurpose.RESULTS_REPORT,
    )
    if not check or check.attempt is None:
        raise ValidationError(check.refusal)
    return check.attempt


def _repay(application: Application) -> None:
    """finance@ records the repayment the final amount demanded (if any), paid in full before it
    was due (no late charge)."""
    demand = RepaymentDemand.objects.filter(application=application, final_amount__isnull=False).first()
    if demand is None:
        return
    paid_on = demand.due_on - dt.timedelta(days=5)
    with clock.as_of(paid_on):
        cancellation.record_repayment(
            actor=account(f"finance@{DEMO_DOMAIN}"),
            demand=demand,
            amount_yen=demand.principal_yen,
            paid_on=paid_on,
        )


# --- KPI years -----------------------------------------------------------------------------


def change_percent(index: int, year: int) -> Decimal:
    """The labour productivity of the `index`-th company in `year`, against its baseline (%)."""
    if index == 0:
        return MAIN_CHANGE[min(year, len(MAIN_CHANGE) - 1)]
    growth = GROWTH[(index - 1) % len(GROWTH)]
    return ((1 + growth / 100) ** year - 1) * 100


def _figures(employees: int, change: Decimal, year: int, index: int) -> kpi.Figures:
    """A company's year: labour productivity `change` % from the baseline's, staff one more
    every other year."""
    staff = Decimal(employees + year // 2)
    baseline = 5_200_000 if index == 0 else 4_100_000 + (index * 730_000) % 2_600_000
    productivity = Decimal(baseline) * (1 + change / 100)
    value_added = int(productivity * staff)
    personnel = value_added * 62 // 100
    depreciation = value_added * 8 // 100
    return kpi.Figures(
        sales_yen=value_added * 4,
        operating_profit_yen=value_added - personnel - depreciation,
        personnel_costs_yen=personnel,
        depreciation_yen=depreciation,
        employees=staff,
    )


def seed_kpi_years(application: Application, *, employees: int, index: int, approved_on: dt.date) -> None:
    """The baseline and years 1..n, each filed a month after its year ends."""
    applicant = _applicant(application)
    free = kpi_reports.free_kpis(kpi_reports.plan_of(application))
    for year in KpiYear.objects.filter(application=application).order_by("year"):
        filed = approved_on + dt.timedelta(days=30 + 365 * max(year.year, 1) - (10 if year.year == 0 else 0))
        with clock.as_of(filed):
            kpi_reports.file_kpi_report(
                actor=applicant,
                kpi_year=year,
                filing=kpi_reports.Filing(
                    _figures(employees, change_percent(index, year.year), year.year, index),
                    [Decimal("6.0") - Decimal(year.year) for _row in free],
                ),
            )


# --- The whole follow-up ---------------------------------------------------------------------


def seed_followup(past: past_round.PastRound, *, secretariat: User) -> None:
    """The main company (the first) through implementation, the results report and the final
    amount; every company's results report approved and its KPI years filed."""
    applications = past.applications
    main = applications[0]
    seed_support_reports(main, past.advisor)
    report_day = main.round.programme_period_ends + dt.timedelta(days=20)
    days = {a.pk: report_day + dt.timedelta(days=i) for i, a in enumerate(applications)}
    reports = [
        _prepare_results(
            application,
            past.advisor,
            day=days[application.pk],
            cloud_percent=CLOUD_ACTUAL_PERCENT if index == 0 else 100,
        )
        for index, application in enumerate(applications)
    ]
    for application, report in zip(applications, reports, strict=True):
        applicant = _applicant(application)
        with clock.as_of(days[application.pk] + dt.timedelta(days=3)):
            step_up = _code(application, applicant, past.code_periods.get(application.pk))
            results_reports.confirm(report=report, actor=applicant, step_up=step_up)
    for index, (application, report) in enumerate(zip(applications, reports, strict=True)):
        approved_on = days[application.pk] + dt.timedelta(days=14)
        with clock.as_of(approved_on):
            results_reports.approve(report=report, actor=secretariat)
        _repay(application)
        seed_kpi_years(
            Application.objects.get(pk=application.pk),
            employees=application.employees or 10,
            index=index,
            approved_on=approved_on,
        )


SURVEY_QUESTIONS = [
    (
        "scale",
        "補助事業の成果に満足していますか（1: 不満 〜 5: 満足）",
        "How satisfied are you with the results? (1-5)",
        [],
    ),
    (
        "single",
        "導入したシステムは今も使っていますか",
        "Do you still use the system you introduced?",
        ["毎日使っている", "時々使っている", "使っていない"],
    ),
    (
        "multiple",
        "効果のあった点（複数選択可）",
        "Where did it help? (choose any)",
        ["受発注", "在庫管理", "需要予測", "社内の情報共有"],
    ),
    ("number", "DXの担当者は何人いますか", "How many people work on DX?", []),
    ("text", "今後の課題を自由にお書きください", "What comes next? (free text)", []),
]
# The answers of the first invitations, submitted; the next one has begun, the rest not.
ANSWERS = [
    ("5", "毎日使っている", ["受発注", "在庫管理"], "3", "需要予測を製造計画に組み込むこと。"),
    ("4", "毎日使っている", ["受発注", "社内の情報共有"], "2", "取引先とのデータ連携。"),
    ("4", "時々使っている", ["在庫管理"], "1", "担当者が1人で、休むと止まってしまう。"),
    ("3", "時々使っている", ["受発注"], "1", ""),
    ("5", "毎日使っている", ["受発注", "在庫管理", "需要予測"], "4", "海外の販路でも使いたい。"),
    ("2", "使っていない", [], "0", "操作が難しく、紙に戻ってしまった部署がある。"),
]
SURVEY_SENT_DAYS_AGO = 20
SURVEY_DUE_IN_DAYS = 20


def seed_survey(round_obj: Round, *, secretariat: User, today: dt.date) -> Survey:
    """The secretariat builds the follow-up survey and sends it to the round's awardees; six
    answer and submit, the next has begun (a section saved), the last has not opened it."""
    with clock.as_of(today - dt.timedelta(days=SURVEY_SENT_DAYS_AGO)):
        survey = building.create_survey(
            actor=secretariat,
            title_ja="補助事業終了後のフォローアップ調査（デモ）",
            title_en="Follow-up survey after the programme (demo)",
            description="導入したシステムの活用状況と今後の課題を教えてください。5分ほどで終わります。",
            due_on=today + dt.timedelta(days=SURVEY_DUE_IN_DAYS),
        )
        section = building.add_section(
            actor=secretariat, survey=survey, title_ja="活用状況と今後", title_en="Use and next steps"
        )
        questions = [
            building.add_question(
                actor=secretariat,
                section=section,
                kind=kind,
                text_ja=text_ja,
                text_en=text_en,
                required=kind in ("scale", "single"),
                choices=choices,
                min_value=0 if kind == "number" else None,
                max_value=100 if kind == "number" else None,
            )
            for kind, text_ja, text_en, choices in SURVEY_QUESTIONS
        ]
        sending.send_survey(actor=secretariat, survey=survey, filters={"round": round_obj.pk})
    invitations = list(survey.invitations.select_related("application").order_by("pk"))
    for index, invitation in enumerate(invitations):
        if index > len(ANSWERS):
            break
        person = _applicant(invitation.application)
        values = ANSWERS[index % len(ANSWERS)]
        raw = {answering.field_name(q): value for q, value in zip(questions, values, strict=True)}
        if index == len(ANSWERS):  # begun, not finished
            raw = {answering.field_name(questions[0]): values[0]}
        with clock.as_of(today - dt.timedelta(days=SURVEY_SENT_DAYS_AGO - 2 - index)):
            answering.save_section(actor=person, invitation=invitation, section=section, raw=raw)
            if index < len(ANSWERS):
                answering.submit(actor=person, invitation=invitation)
    return survey


def seed_after_the_grant(
    programme: Programme, *, today: dt.date, secretariat: User, reviewers: list[User]
) -> None:
    """The past round granted and paid, everything after the grant, and the survey (once)."""
    past = past_round.seed_past_round(programme, today=today, secretariat=secretariat, reviewers=reviewers)
    if past is None:
        return
    seed_followup(past, secretariat=secretariat)
    seed_survey(past.round, secretariat=secretariat, today=today)


def recount(rounds: list[Round]) -> None:
    """The dashboard's stored counts, for the programme and each round, counted now."""
    dashboard.store(None)
    for round_obj in rounds:
        dashboard.store(round_obj)
