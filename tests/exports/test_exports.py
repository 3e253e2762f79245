"""Exporting the secretariat's lists: streamed with the page's filters, audited; large ones as a
background job with progress and a download only the requester can use; refused for anyone the
list page refuses, with nothing recorded."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.exports import registry
from dxgrant.exports.models import ExportJob, ExportStatus
from dxgrant.integrity.models import AuditEntry
from dxgrant.public.models import Inquiry
from tests.factories import InquiryFactory, UserFactory
from tests.factories.accounts import signed_in
from tests.factories.applications import make_application

pytestmark = pytest.mark.django_db


def _rows(response, encoding="utf-8-sig"):
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode(encoding), newline="")))


@pytest.fixture
def applications(programme):
    return [
        make_application(programme, company_name="東京の𠮷田製作所", prefecture="東京都"),
        make_application(programme, company_name='=HYPERLINK("evil")', prefecture="大阪府"),
        make_application(
            programme, company_name="大阪の髙橋商店", prefecture="大阪府", status=workflow.SCREENING
        ),
    ]


def test_csv_streams_every_row_with_the_page_filters_and_is_audited(client_for, applications):
    client = client_for(Role.SECRETARIAT)
    response = client.get("/staff/exports/applications/csv/", {"prefecture": "大阪府", "before": "999"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applications-')
    rows = _rows(response)
    assert rows[0][:3] == ["申請ID", "受付番号", "会社名・屋号"]
    names = sorted(r[2] for r in rows[1:])
    assert names == ['\'=HYPERLINK("evil")', "大阪の髙橋商店"]  # Tokyo filtered out; formula guarded
    entry = AuditEntry.objects.get(action="exports.downloaded")
    assert entry.changes["rows"] == 2 and entry.changes["params"] == {"prefecture": "大阪府"}


def test_shift_jis_csv_replaces_the_missing_character_with_geta(client_for, applications):
    client = client_for(Role.AUDITOR)
    response = client.get("/staff/exports/applications/csv-sjis/", {"prefecture": "東京都"})
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    rows = _rows(response, "cp932")
    assert [r[2] for r in rows[1:]] == ["東京の〓田製作所"]


def test_english_headers_when_english_is_chosen(client_for, applications):
    client = client_for(Role.SECRETARIAT)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    rows = _rows(client.get("/staff/exports/applications/csv/"))
    assert rows[0][:3] == ["Application ID", "Reference number", "Company or trading name"]


def test_xlsx_reads_back(client_for, applications):
    client = client_for(Role.SECRETARIAT)
    response = client.get("/staff/exports/applications/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 4
    assert '=HYPERLINK("evil")' in [row[2] for row in values]
    assert sheet.cell(row=2, column=3).data_type == "s"


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ADVISOR, Role.REVIEWER, Role.FINANCE])
def test_refused_exactly_as_the_list_page_is_and_nothing_recorded(client_for, applications, role):
    client = client_for(role)
    assert client.get("/staff/applications/").status_code == 403
    assert client.get("/staff/exports/applications/csv/").status_code == 403
    assert client.post("/staff/exports/applications/csv/").status_code == 403
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="exports.").exists()


def test_anonymous_is_sent_to_sign_in(applications):
    response = Client().get("/staff/exports/applications/csv/?prefecture=x")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_unknown_list_or_format_is_404(client_for):
    client = client_for(Role.SECRETARIAT)
    assert client.get("/staff/exports/nothing/csv/").status_code == 404
    assert client.get("/staff/exports/applications/pdf/").status_code == 404


def test_large_export_runs_in_the_background_with_progress_and_a_private_download(
    client_for, applications, settings, django_capture_on_commit_callbacks
):
    settings.DXGRANT_EXPORT_STREAM_MAX_ROWS = 2
    client = client_for(Role.SECRETARIAT)
    offer = client.get("/staff/exports/applications/csv-sjis/", {"round": "", "status": "", "q": ""})
    assert offer.status_code == 200
    assert "3件" in offer.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="exports.").exists()  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/exports/applications/csv-sjis/", {"prefecture": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/exports/jobs/{job.pk}/"
    assert (job.status, job.rows_done, job.rows_total, job.replaced_chars) == (ExportStatus.DONE, 3, 3, 1)
    assert AuditEntry.objects.filter(action="exports.requested").count() == 1
    page = client.get(f"/staff/exports/jobs/{job.pk}/").content.decode()
    assert "3件中 3件" in page and f"/staff/exports/jobs/{job.pk}/download/" in page
    assert "〓に置き換えました" in page
    download = client.get(f"/staff/exports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("cp932"), newline="")))
    assert len(rows) == 4
    # Only the requester: another secretariat member, even a superuser, gets 404.
    other = client_for(Role.SECRETARIAT)
    assert other.get(f"/staff/exports/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/staff/exports/jobs/{job.pk}/download/").status_code == 404
    boss = signed_in(UserFactory(role=Role.SECRETARIAT, is_superuser=True, is_staff=True))
    assert boss.get(f"/staff/exports/jobs/{job.pk}/download/").status_code == 404
    assert client_for(Role.ADVISOR).get(f"/staff/exports/jobs/{job.pk}/download/").status_code == 403


def test_a_job_still_running_polls_itself(client_for, applications):
    client = client_for(Role.SECRETARIAT)
    user = client.user
    job = ExportJob.objects.create(
        requested_by=user,
        list_code="applications",
        format="csv",
        status=ExportStatus.RUNNING,
        rows_total=10,
        rows_done=4,
    )
    page = client.get(f"/staff/exports/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "10件中 4件" in page
    assert client.get(f"/staff/exports/jobs/{job.pk}/download/").status_code == 404


def test_the_task_runs_a_job_once(client_for, applications):
    from dxgrant.exports import tasks

    user = client_for(Role.SECRETARIAT).user
    job = ExportJob.objects.create(requested_by=user, list_code="applications", format="xlsx")
    tasks.run_export.call(job.pk)
    job.refresh_from_db()
    first = job.file.name
    assert job.status == ExportStatus.DONE and job.rows_done == 3
    tasks.run_export.call(job.pk)
    job.refresh_from_db()
    assert job.file.name == first


def test_a_requester_who_lost_the_role_gets_a_failed_job(client_for, applications):
    from dxgrant.exports import tasks

    user = client_for(Role.SECRETARIAT).user
    job = ExportJob.objects.create(requested_by=user, list_code="applications", format="csv")
    user.role = Role.ADVISOR
    user.save()
    tasks.run_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file and "権限" in job.error


def test_inquiries_export_follows_the_inbox_filters(client_for, programme):
    InquiryFactory(name="新規の方")
    closed = InquiryFactory(name="対応済みの方")
    Inquiry.objects.filter(pk=closed.pk).update(status="closed")
    rows = _rows(client_for(Role.SECRETARIAT).get("/staff/exports/inquiries/csv/", {"status": "closed"}))
    assert [r[4] for r in rows[1:]] == ["対応済みの方"]


def test_every_registered_export_has_headers_for_its_columns():
    for export in registry.EXPORTS.values():
        if export.generate is not None:  # the header comes from the data (a survey's questions)
            assert not export.columns
            continue
        assert len(export.header()) == len(export.columns) > 0


def test_prune_deletes_old_jobs_and_their_files(client_for, applications, settings):
    from dxgrant.exports import tasks

    user = client_for(Role.SECRETARIAT).user
    old = ExportJob.objects.create(requested_by=user, list_code="applications", format="csv")
    tasks.run_export.call(old.pk)
    old.refresh_from_db()
    storage = old.file.storage
    name = old.file.name
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=8))
    fresh = ExportJob.objects.create(requested_by=user, list_code="applications", format="csv")
    call_command("prune_exports", stdout=io.StringIO())
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not storage.exists(name)


def test_streamed_rows_keep_the_language_after_the_view_returns(client_for, programme):
    make_application(programme, company_name="英語の会社", prefecture="大阪府")
    client = client_for(Role.SECRETARIAT)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/staff/exports/applications/csv/")
    rows = _rows(response)
    assert rows[1][7] == "Osaka"
