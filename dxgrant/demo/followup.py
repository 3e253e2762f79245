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
from dxgrant.awards.services import codes
from dxgrant.programs.models import Programme, Round
from dxgrant.reporting import dashboard, kpi, plans, support_rules
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.results_models import ResultsReport
from dxgrant.reporting.services import kpi_reports, plan_changes, results_reports, support_reports
from dxgrant.reporting.support_policies import accepted_on
from dxgrant.surveys.models import Survey
from dxgrant.surveys.services import answering, building, sending

from . import clock, past_round
from .accounts import code_now, enrol_demo_totp

DISPUTED_MONTH_INDEX = 3  # the fourth month's report is disputed, then corrected
PLAN_CHANGE_MONTH_INDEX = 5
# The main company's cloud system cost this share of its plan (a discount the vendor gave).
CLOUD_ACTUAL_PERCENT = 85
EVIDENCE_KINDS = ["quotation", "order", "delivery", "invoice", "payment"]
# Labour productivity growth a year (percent) of each cohort company, from strong to falling:
# the main company grows 4 % a year, below its plan's target in year 1.
GROWTH = [Decimal(g) for g in ["4", "9", "6", "2.5", "0", "12", "-3", "5", "7.5"]]


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


def _results(
    application: Application, advisor: User, secretariat: User, *, day: dt.date, cloud_percent: int
) -> ResultsReport:
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
        report = results_reports.mark_ready(report=report, actor=advisor)
    with clock.as_of(day + dt.timedelta(days=3)):
        report = results_reports.confirm(
            report=report, actor=applicant, step_up=_code(application, applicant)
        )
    with clock.as_of(day + dt.timedelta(days=14)):
        return results_reports.approve(report=report, actor=secretariat)


def _code(application: Application, applicant: User) -> StepUpAttempt:
    """The applicant's code for the results report, from the demo authenticator. A code is
    accepted once: if this one was used moments ago (seeding is quick), wait for the next."""
    enrol_demo_totp(applicant)
    for _attempt in range(2):
        check = codes.verify_code(
            user=applicant,
            code=code_now(applicant),
            application=application,
            purpose=StepUpPurpose.RESULTS_REPORT,
        )
        if check and check.attempt is not None:
            return check.attempt
        time.sleep(30 - time.time() % 30 + 0.1)
    raise ValidationError(check.refusal)


# --- KPI years -----------------------------------------------------------------------------


def _figures(employees: int, growth: Decimal, year: int) -> kpi.Figures:
    """A company's year: value added grows by `growth` % a year, staff by one every other year."""
    staff = Decimal(employees + year // 2)
    productivity = Decimal(5_200_000) * (1 + growth / 100) ** year
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


def seed_kpi_years(
    application: Application, *, employees: int, growth: Decimal, approved_on: dt.date
) -> None:
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
                    _figures(employees, growth, year.year),
                    [Decimal("6.0") - Decimal(year.year) for _row in free],
                ),
            )


# --- The whole follow-up ---------------------------------------------------------------------


def seed_followup(applications: list[Application], *, advisor: User, secretariat: User) -> None:
    """The main company (the first) through implementation, the results report and the final
    amount; every company's results report approved and its KPI years filed."""
    main = applications[0]
    seed_support_reports(main, advisor)
    report_day = main.round.programme_period_ends + dt.timedelta(days=20)
    # The main company's report comes last: its applicant accepted the award with a code moments
    # ago (in seeding time), and a code is accepted once.
    for index, application in reversed(list(enumerate(applications))):
        application = Application.objects.get(pk=application.pk)
        report = _results(
            application,
            advisor,
            secretariat,
            day=report_day + dt.timedelta(days=index),
            cloud_percent=CLOUD_ACTUAL_PERCENT if index == 0 else 100,
        )
        assert report.reviewed_at is not None
        seed_kpi_years(
            application,
            employees=application.employees or 10,
            growth=GROWTH[index % len(GROWTH)],
            approved_on=report.reviewed_at.date(),
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
_ANSWERS = [
    ("5", "毎日使っている", ["受発注", "在庫管理"], "3", "需要予測を製造計画に組み込むこと。"),
    ("4", "毎日使っている", ["受発注", "社内の情報共有"], "2", "取引先とのデータ連携。"),
    ("4", "時々使っている", ["在庫管理"], "1", "担当者が1人で、休むと止まってしまう。"),
    ("3", "時々使っている", ["受発注"], "1", ""),
    ("5", "毎日使っている", ["受発注", "在庫管理", "需要予測"], "4", "海外の販路でも使いたい。"),
    ("2", "使っていない", [], "0", "操作が難しく、紙に戻ってしまった部署がある。"),
    ("4", "毎日使っている", ["社内の情報共有"], "2", "設備のデータも集めたい。"),
]
SURVEY_SENT_DAYS_AGO = 20
SURVEY_DUE_IN_DAYS = 20


def seed_survey(round_obj: Round, *, secretariat: User, today: dt.date) -> Survey:
    """The secretariat builds the follow-up survey and sends it to the round's awardees; seven
    answer and submit, one has begun (a section saved), the others have not opened it."""
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
        if index > len(_ANSWERS):
            break
        person = _applicant(invitation.application)
        values = _ANSWERS[index % len(_ANSWERS)]
        raw = {answering.field_name(q): value for q, value in zip(questions, values, strict=True)}
        if index == len(_ANSWERS):  # begun, not finished
            raw = {answering.field_name(questions[0]): values[0]}
        with clock.as_of(today - dt.timedelta(days=SURVEY_SENT_DAYS_AGO - 2 - index)):
            answering.save_section(actor=person, invitation=invitation, section=section, raw=raw)
            if index < len(_ANSWERS):
                answering.submit(actor=person, invitation=invitation)
    return survey


def seed_after_the_grant(
    programme: Programme, *, today: dt.date, secretariat: User, reviewers: list[User]
) -> None:
    """The past round granted and paid, everything after the grant, and the survey (once)."""
    past = past_round.seed_past_round(programme, today=today, secretariat=secretariat, reviewers=reviewers)
    if past is None:
        return
    seed_followup(past.applications, advisor=past.advisor, secretariat=secretariat)
    seed_survey(past.round, secretariat=secretariat, today=today)


def recount(rounds: list[Round]) -> None:
    """The dashboard's stored counts, for the programme and each round, counted now."""
    dashboard.store(None)
    for round_obj in rounds:
        dashboard.store(round_obj)
