"""The staff's notices page (progress, the issue button, auditors read only), the applicant's
and advisor's notice page and PDF (private), and `dxgrant export-notice`."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command

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
