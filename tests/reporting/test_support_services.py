"""The support report services: drafts, filing once, the applicant's answer, corrections, the
emails and the audit entries; every refusal leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.core.editing import EditConflict
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.services import support_reports as service
from dxgrant.reporting.support_models import SupportReport, SupportReportStatus

from .support_builders import TOKYO, implementing

pytestmark = pytest.mark.django_db
S = SupportReportStatus
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
CONTENT = service.ReportContent(
    activities="受発注システムの選定会議に同席し、要件を整理した。",
    progress=[service.Progress("in_progress", "ベンダー2社と打合せ"), service.Progress("not_started")],
    problems="社内の担当者が不足している。",
    next_steps="発注と導入日程の確定。",
)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=TOKYO), tick=False):
        yield


@pytest.fixture
def award(programme):
    return implementing(programme)


def file(award, month=OCT, content=CONTENT, token=None):
    return service.file_report(
        actor=award.advisor,
        application=award.application,
        month=month,
        content=content,
        token=token or uuid.uuid4(),
    )


def test_a_draft_is_kept_then_filed_with_the_plans_milestones(award, django_capture_on_commit_callbacks):
    draft = service.save_draft(
        actor=award.advisor,
        application=award.application,
        month=OCT,
        content=service.ReportContent(activities="途中"),
    )
    again = service.save_draft(actor=award.advisor, application=award.application, month=OCT, content=CONTENT)
    assert again.pk == draft.pk and again.status == S.DRAFT and again.activities.startswith("受発注")
    assert not AuditEntry.objects.filter(action__startswith="reporting.support_report").exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = file(award)
    assert report.pk == draft.pk and report.status == S.FILED and report.filed_by == award.advisor
    assert [p["title"] for p in report.progress] == ["クラウド受発注システムの導入", "在庫分析の運用開始"]
    assert report.progress[0] == {
        "title": "クラウド受発注システムの導入",
        "due": "2026-12-15",
        "status": "in_progress",
        "comment": "ベンダー2社と打合せ",
    }
    entry = AuditEntry.objects.get(action="reporting.support_report_filed")
    assert entry.changes["month"] == "2026-10" and entry.actor == award.advisor
    assert [m.to for m in mail.outbox] == [[award.applicant.email]]
    assert "2026" in mail.outbox[0].subject or "月次支援報告" in mail.outbox[0].subject


def test_a_double_click_files_once(award, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = file(award, token=token)
        second = file(award, token=token)
    assert first.pk == second.pk
    assert SupportReport.objects.count() == 1
    assert AuditEntry.objects.filter(action="reporting.support_report_filed").count() == 1
    assert len(mail.outbox) == 1


def test_a_draft_saved_from_an_older_revision_is_refused_and_nothing_changes(award):
    def save(content, revision):
        return service.save_draft(
            actor=award.advisor,
            application=award.application,
            month=OCT,
            content=content,
            expected_revision=revision,
        )

    first = save(service.ReportContent(activities="途中"), 0)
    assert first.revision == 1
    with pytest.raises(EditConflict) as refused:
        save(CONTENT, 0)  # a second tab opened before the first save
    assert refused.value.current_revision == 1 and refused.value.current.activities == "途中"
    assert SupportReport.objects.get().activities == "途中"
    # What is stored already, saved again from the old revision: no conflict, no new revision.
    assert save(service.ReportContent(activities="途中"), 0).revision == 1
    assert save(CONTENT, 1).revision == 2
    # Filing from a stale revision is refused too, and files nothing.
    with pytest.raises(EditConflict):
        service.file_report(
            actor=award.advisor,
            application=award.application,
            month=OCT,
            content=service.ReportContent(activities="古い画面", next_steps="x", progress=CONTENT.progress),
            token=uuid.uuid4(),
            expected_revision=1,
        )
    assert SupportReport.objects.get().status == S.DRAFT


def test_a_filed_report_cannot_be_edited_or_filed_again(award):
    file(award)
    with pytest.raises(ValidationError, match="提出済み"):
        service.save_draft(actor=award.advisor, application=award.application, month=OCT, content=CONTENT)
    with pytest.raises(ValidationError, match="提出済み"):
        file(award)
    assert SupportReport.objects.count() == 1


@pytest.mark.parametrize(
    ("month", "content", "field"),
    [
        (dt.date(2026, 12, 1), CONTENT, "month"),  # not begun
        (dt.date(2026, 9, 1), CONTENT, "month"),  # before acceptance
        (OCT, service.ReportContent(activities="", next_steps="x", progress=CONTENT.progress), "activities"),
        (OCT, service.ReportContent(activities="x", next_steps=" ", progress=CONTENT.progress), "next_steps"),
        (
            OCT,
            service.ReportContent(activities="x", next_steps="y", progress=[service.Progress("done")]),
            "progress",
        ),
        (
            OCT,
            service.ReportContent(activities="x", next_steps="y", progress=[service.Progress("bogus")] * 2),
            "progress",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_kept(award, month, content, field):
    with pytest.raises(ValidationError) as refused:
        file(award, month=month, content=content)
    assert field in refused.value.message_dict
    assert SupportReport.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="reporting.").exists()


def test_only_an_advisor_of_the_firm_during_implementation_writes(award, programme, make_user):
    other = implementing(programme, company_name="別会社株式会社")
    for actor in [award.applicant, other.advisor, make_user(Role.SECRETARIAT)]:
        with pytest.raises(PermissionDenied):
            service.file_report(
                actor=actor, application=award.application, month=OCT, content=CONTENT, token=uuid.uuid4()
            )
    award.application.status = workflow.CANCELLED
    award.application.save(update_fields=["status"])
    with pytest.raises(PermissionDenied, match="事業実施期間中ではない"):
        file(award)
    assert SupportReport.objects.count() == 0


def test_the_applicant_acknowledges(award):
    report = file(award)
    done = service.acknowledge_report(actor=award.applicant, report=report)
    assert done.status == S.ACKNOWLEDGED and done.responded_by == award.applicant
    assert AuditEntry.objects.filter(action="reporting.support_report_acknowledged").count() == 1
    with pytest.raises(ValidationError, match="確認待ちではない"):
        service.dispute_report(actor=award.applicant, report=report, comment="やはり違う")


def test_an_advisor_cannot_acknowledge_or_dispute_and_nothing_changes(award):
    report = file(award)
    with pytest.raises(PermissionDenied):
        service.acknowledge_report(actor=award.advisor, report=report)
    with pytest.raises(PermissionDenied):
        service.dispute_report(actor=award.advisor, report=report, comment="自分で異議")
    report.refresh_from_db()
    assert report.status == S.FILED and report.responded_by is None
    assert not AuditEntry.objects.filter(
        action__in=["reporting.support_report_acknowledged", "reporting.support_report_disputed"]
    ).exists()


def test_a_dispute_needs_a_comment(award):
    report = file(award)
    with pytest.raises(ValidationError) as refused:
        service.dispute_report(actor=award.applicant, report=report, comment="  ")
    assert "comment" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == S.FILED


def test_a_dispute_tells_the_advisor_and_a_correction_supersedes_it(
    award, django_capture_on_commit_callbacks
):
    report = file(award)
    with django_capture_on_commit_callbacks(execute=True):
        service.dispute_report(actor=award.applicant, report=report, comment="打合せは1社のみでした。")
    assert [m.to for m in mail.outbox] == [[award.advisor.email]]
    assert (
        AuditEntry.objects.get(action="reporting.support_report_disputed").changes["comment"]
        == "打合せは1社のみでした。"
    )
    corrected = file(award)
    report.refresh_from_db()
    assert report.status == S.SUPERSEDED and corrected.corrects == report and corrected.status == S.FILED
    # The correction stands; a second one is refused until it too is disputed.
    with pytest.raises(ValidationError, match="提出済み"):
        file(award)
