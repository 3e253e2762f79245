"""The lists registered after the first four: each export writes the page's rows with the page's
filters, in a constant number of queries, and is refused (403, nothing recorded) to a role the
page refuses."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dxgrant.accounts.models import Role
from dxgrant.decisions import exports as decision_exports
from dxgrant.exports import registry
from dxgrant.exports.models import ExportJob, ExportStatus
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting import kpi
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.plan_models import PlanChange
from dxgrant.reporting.results_models import ResultsReport
from dxgrant.reporting.services import kpi_reports
from dxgrant.surveys.models import Survey
from tests.factories import UserFactory
from tests.pages import (
    reporting_kpi,
    reporting_plans,
    reporting_results,
    reporting_support,
    screening,
    surveys,
)

pytestmark = pytest.mark.django_db


def _rows(response, encoding="utf-8-sig"):
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode(encoding), newline="")))


def _export(client, code, params=None, fmt="csv"):
    return client.get(f"/staff/exports/{code}/{fmt}/", params or {})


def test_screening_queue_is_the_pages_round_with_items_confirmed(client_for, programme):
    objects = screening.make_objects()
    rows = _rows(_export(client_for(Role.AUDITOR), "screening-queue"))
    assert rows[0] == [
        "申請ID",
        "受付番号",
        "会社名・屋号",
        "認定事業者",
        "状態",
        "提出日時",
        "確認済みの項目",
        "確認する項目",
    ]
    by_id = {int(r[0]): r for r in rows[1:]}
    assert set(by_id) >= {objects["screening_application"], objects["screening_ready"]}
    ready = by_id[objects["screening_ready"]]
    assert ready[2] == "形式審査通過用株式会社"
    assert ready[6] == ready[7] != "0"  # every item confirmed
    assert by_id[objects["screening_application"]][6] == "0"
    assert _rows(_export(client_for(Role.SECRETARIAT), "screening-queue", {"round": "no-such"}))[1:]


def test_support_reports_lists_the_awards_needing_attention(client_for, programme):
    reporting_support.make_objects()
    rows = _rows(_export(client_for(Role.SECRETARIAT), "support-reports"))
    assert rows[0] == [
        "受付番号",
        "会社名・屋号",
        "公募回",
        "アドバイザー",
        "未提出の月（期限超過）",
        "異議のある報告",
    ]
    assert len(rows) >= 2
    assert all(r[4] or r[5] for r in rows[1:])  # overdue months or a dispute: nothing else listed


def test_plan_changes_open_by_default_and_all_on_request(client_for, programme):
    reporting_plans.make_objects()
    change = PlanChange.objects.get()
    client = client_for(Role.SECRETARIAT)
    rows = _rows(_export(client, "plan-changes"))
    assert rows[0][:3] == ["受付番号", "会社名・屋号", "公募回"]
    assert len(rows) == 2 and rows[1][6] == "研修の対象者を増やすため"
    assert rows[1][1] == change.application.company_name
    assert len(_rows(_export(client, "plan-changes", {"status": "approved"}))) == 1
    assert len(_rows(_export(client, "plan-changes", {"status": "all"}))) == 2


def test_results_reports_with_status_filter(client_for, programme):
    reporting_results.make_objects()
    report = ResultsReport.objects.select_related("application").get()
    client = client_for(Role.AUDITOR)
    rows = _rows(_export(client, "results-reports", {"round": str(report.application.round_id)}))
    assert rows[0][:5] == ["受付番号", "会社名・屋号", "公募回", "状態", "提出期限"]
    assert rows[1][1] == report.application.company_name and rows[1][4] == report.due_on.isoformat()
    # In xlsx the due date is a date cell (yyyy-mm-dd), not a date-time.
    response = _export(client, "results-reports", {"round": str(report.application.round_id)}, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    due = sheet.cell(row=2, column=5)
    assert due.value.date() == report.due_on and due.number_format == "yyyy-mm-dd"
    assert len(_rows(_export(client, "results-reports", {"status": "approved"}))) == 1


def test_kpi_years_one_row_per_company_and_year(client_for, programme):
    objects = reporting_kpi.make_objects()
    year0 = KpiYear.objects.get(application_id=objects["kpi_application"], year=0)
    figures = kpi.Figures(380_000_000, 20_000_000, 60_000_000, 5_000_000, D("15.0"))
    kpi_reports.file_kpi_report(
        actor=objects["kpi_applicant"], kpi_year=year0, filing=kpi_reports.Filing(figures, [D("6.0")])
    )
    years = KpiYear.objects.count()
    assert years >= 2
    response = _export(client_for(Role.SECRETARIAT), "kpi-years", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["受付番号", "会社名・屋号", "公募回", "年度", "提出期限", "提出状況"]
    assert len(values) == 1 + years
    assert [v[3] for v in values[1:]] == sorted(v[3] for v in values[1:])
    filed = [v for v in values[1:] if v[5] == "提出済み"]
    assert len(filed) == 1 and filed[0][3] == 0
    assert filed[0][11:13] == [85_000_000, 5_666_667]  # value added; labour productivity per employee
    assert all(v[6] is None for v in values[1:] if v[5] != "提出済み")


def test_kpi_years_name_companies_so_finance_gets_no_file(client_for, programme):
    reporting_kpi.make_objects()
    finance = client_for(Role.FINANCE)
    page = finance.get("/staff/kpi/")
    assert page.status_code == 200 and "/staff/exports/kpi-years/" not in page.content.decode()
    assert _export(finance, "kpi-years").status_code == 403
    secretariat = client_for(Role.SECRETARIAT).get("/staff/kpi/").content.decode()
    assert "/staff/exports/kpi-years/csv/" in secretariat


def test_surveys_with_invited_and_answered_counts(client_for, programme):
    surveys.make_objects()
    rows = _rows(_export(client_for(Role.SECRETARIAT), "surveys"))
    assert rows[0] == ["調査ID", "調査名", "回答期限", "状態", "送付日時", "送付先", "提出済み"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["効果調査"][5:] == ["1", "0"] and by_name["満足度調査"][5:] == ["0", "0"]
    assert Survey.objects.count() == 2


def test_shift_jis_for_a_new_list(client_for, programme):
    reporting_plans.make_objects()
    rows = _rows(_export(client_for(Role.SECRETARIAT), "plan-changes", fmt="csv-sjis"), "cp932")
    assert rows[1][6] == "研修の対象者を増やすため"


LISTS = [
    ("screening-queue", "/staff/applications/screening/", Role.FINANCE),
    ("support-reports", "/staff/support-reports/", Role.FINANCE),
    ("plan-changes", "/staff/plan-changes/", Role.ADVISOR),
    ("results-reports", "/staff/results-reports/", Role.FINANCE),
    ("kpi-years", None, Role.APPLICANT),
    ("surveys", "/staff/surveys/", Role.FINANCE),
]


@pytest.mark.parametrize(("code", "page", "role"), LISTS)
def test_refused_as_the_page_is_and_nothing_recorded(client_for, programme, code, page, role):
    client = client_for(role)
    if page is not None:
        assert client.get(page).status_code == 403
    assert _export(client, code).status_code == 403
    assert client.post(f"/staff/exports/{code}/csv/").status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="exports.").exists()


@pytest.mark.parametrize("code", [c for c, _page, _role in LISTS])
def test_page_links_to_its_export(client_for, programme, code):
    url = {c: p for c, p, _r in LISTS}[code] or "/staff/kpi/"
    body = client_for(Role.SECRETARIAT).get(url).content.decode()
    assert f"/staff/exports/{code}/xlsx/" in body


@pytest.mark.parametrize("code", ["plan-changes", "surveys", "kpi-years"])
def test_rows_read_in_constant_queries(programme, code):
    """The same number of queries for the rows whatever their number."""
    export = registry.get(code)
    assert export is not None
    make = {"plan-changes": reporting_plans, "surveys": surveys, "kpi-years": reporting_kpi}[code]
    make.make_objects()
    staff = UserFactory(role=Role.SECRETARIAT)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(export.rows(export.queryset(staff, {"status": "all"})))
        return len(rows), len(ctx.captured_queries)

    few, first = count()
    make.make_objects()
    more, second = count()
    assert more > few and second == first


def test_committee_exports_guard_formulas_with_the_writers():
    rows = [[1, '=HYPERLINK("x")', "株式会社テスト"]]
    body = decision_exports.as_csv(["順位", "会社名", "変更の理由"], rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body, newline="")))[1] == ["1", '\'=HYPERLINK("x")', "株式会社テスト"]
    sheet = load_workbook(io.BytesIO(decision_exports.as_xlsx("決定", ["a", "b", "c"], rows))).active
    assert sheet.cell(row=2, column=2).value == '=HYPERLINK("x")'
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_survey_answers_in_every_format_and_in_the_background(
    client_for, programme, settings, django_capture_on_commit_callbacks
):
    objects = surveys.make_objects()
    sent = Survey.objects.get(title_ja="効果調査")
    client = client_for(Role.SECRETARIAT)
    assert (
        f"/staff/exports/survey-answers/csv-sjis/?survey={sent.pk}"
        in client.get(f"/staff/surveys/{sent.pk}/").content.decode()
    )
    rows = _rows(_export(client, "survey-answers", {"survey": str(sent.pk)}, fmt="csv-sjis"), "cp932")
    assert rows[0] == ["受付番号", "会社名・屋号", "都道府県", "回答状況", "提出日時", "Q1. 満足度"]
    assert len(rows) == 2 and rows[1][1] == "株式会社調査テスト" and rows[1][3] == "未回答"
    settings.DXGRANT_EXPORT_STREAM_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/exports/survey-answers/xlsx/", {"survey": str(sent.pk)})
    job = ExportJob.objects.get()
    assert (job.status, job.rows_total, job.rows_done) == (ExportStatus.DONE, 1, 1), job.error
    sheet = load_workbook(job.file.open("rb")).active
    assert [c.value for c in next(sheet.iter_rows())][-1] == "Q1. 満足度"
    assert (
        client_for(Role.FINANCE)
        .get("/staff/exports/survey-answers/csv/", {"survey": str(sent.pk)})
        .status_code
        == 403
    )
    del objects
