"""The staff's notices page (progress, the issue button, auditors read only), the applicant's
and advisor's notice page and PDF (private), and `dxgrant export-notice`."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.awards.models import Notice, NoticeRun
from dxgrant.awards.services import issuing
from dxgrant.decisions.models import Decision

pytestmark = pytest.mark.django_db


def test_secretariat_issues_from_the_page(client, published, secretariat, django_capture_on_commit_callbacks):
    round_obj, _apps = published
    client.force_login(secretariat)
    url = f"/staff/awards/{round_obj.code}/notices/"
    page = client.get(url).content.decode()
    assert "4件中 0件を発行済み" in page and "通知書を発行する" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}issue/")
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "4件中 4件を発行済み" in page and "すべて発行しました" in page
    assert "通知書を発行する" not in page
    assert Notice.objects.count() == 4
    for notice in Notice.objects.all():
        assert notice.number in page


def test_progress_refreshes_while_running(client, published, secretariat):
    round_obj, _apps = published
    NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    client.force_login(secretariat)
    page = client.get(f"/staff/awards/{round_obj.code}/notices/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "発行中です" in page


def test_auditor_reads_but_cannot_issue(client, published, make_user):
    round_obj, _apps = published
    client.force_login(make_user(Role.AUDITOR))
    page = client.get(f"/staff/awards/{round_obj.code}/notices/").content.decode()
    assert "通知書を発行する</button>" not in page
    assert client.post(f"/staff/awards/{round_obj.code}/notices/issue/").status_code == 403
    assert Notice.objects.count() == 0


def test_applicant_and_advisor_see_and_download_their_notice(client, published, secretariat, make_user):
    _round, apps = published
    notice = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk
    )
    applicant = apps["A"].engagement.members.first().user
    advisor = apps["A"].engagement.lead_advisor
    for person in (applicant, advisor):
        client.force_login(person)
        page = client.get(f"/applications/{apps['A'].pk}/notice/").content.decode()
        assert notice.number in page and "6,000,000円" in page
        response = client.get(f"/applications/{apps['A'].pk}/notice.pdf")
        data = b"".join(response.streaming_content)
        assert hashlib.sha256(data).hexdigest() == notice.sha256
        assert notice.number in response["Content-Disposition"]
    client.force_login(applicant)
    detail = client.get(f"/applications/{apps['A'].pk}/").content.decode()
    assert f'href="/applications/{apps["A"].pk}/notice/"' in detail and notice.number in detail
    assert "あらためてお送りします" not in detail
    other = apps["C"].engagement.members.first().user
    client.force_login(other)
    assert client.get(f"/applications/{apps['A'].pk}/notice/").status_code == 404
    assert client.get(f"/applications/{apps['A'].pk}/notice.pdf").status_code == 404
    # Their own application has no notice yet.
    assert client.get(f"/applications/{apps['C'].pk}/notice/").status_code == 404


def test_export_notice_command(published, secretariat, tmp_path):
    _round, apps = published
    notice = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk
    )
    out = tmp_path / "notice.pdf"
    call_command("export_notice", notice.number, "--output", str(out))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == notice.sha256
    with pytest.raises(CommandError, match="DXN-2026-999999"):
        call_command("export_notice", "DXN-2026-999999", "--output", str(tmp_path / "x.pdf"))


def test_a_job_whose_worker_died_is_shown_as_stopped_with_resume(
    client, published, secretariat, django_capture_on_commit_callbacks
):
    """The state a killed worker leaves: a run not finished, one notice issued, nothing since
    long before the page is asked (as the job stores it: progressed_at)."""
    round_obj, apps = published
    issuing.issue_notice(actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk)
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    NoticeRun.objects.update(started_at=long_ago, progressed_at=long_ago, issued=1)
    client.force_login(secretariat)
    url = f"/staff/awards/{round_obj.code}/notices/"
    page = client.get(url).content.decode()
    assert "発行中です" not in page and 'hx-trigger="every 2s"' not in page
    assert "発行が止まっています" in page
    assert f"{timezone.localtime(long_ago):%Y-%m-%d %H:%M}から進んでいません" in page
    assert "発行を再開する</button>" in page
    # Resuming issues only the three missing notices.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}issue/")
    assert Notice.objects.count() == 4
    page = client.get(url).content.decode()
    assert "すべて発行しました" in page and "発行が止まっています" not in page


def test_a_job_that_moved_recently_is_still_running(client, published, secretariat):
    round_obj, _apps = published
    recently = timezone.now() - dt.timedelta(minutes=1)
    NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    NoticeRun.objects.update(started_at=recently, progressed_at=recently)
    client.force_login(secretariat)
    page = client.get(f"/staff/awards/{round_obj.code}/notices/").content.decode()
    assert "発行中です" in page and "発行が止まっています" not in page
    assert "通知書を発行する</button>" in page


def test_a_job_never_picked_up_is_shown_as_stopped(client, published, secretariat):
    """No worker ever started it: asked for long ago, never started."""
    round_obj, _apps = published
    NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    NoticeRun.objects.update(requested_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(secretariat)
    page = client.get(f"/staff/awards/{round_obj.code}/notices/").content.decode()
    assert "発行が止まっています" in page and "発行を再開する</button>" in page
