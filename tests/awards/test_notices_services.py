"""Issuing and cancelling notices: numbering, kinds, the stored signed PDF and its SHA-256, the
notify transition, audit entries, refusals, idempotence and a worker killed midway."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications.models import Application
from dxgrant.awards import signing
from dxgrant.awards.models import Notice, NoticeRun, NoticeStatus
from dxgrant.awards.services import cancelling, issuing
from dxgrant.decisions.models import Decision
from dxgrant.integrity.models import AuditEntry

pytestmark = pytest.mark.django_db


def decision_of(application: Application) -> Decision:
    return Decision.objects.get(application=application)


def test_issue_award_notice(published, secretariat, django_capture_on_commit_callbacks):
    round_obj, apps = published
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice = issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["A"]).pk)
    assert re.fullmatch(r"DXN-\d{4}-\d{6}", notice.number)
    assert notice.kind == "award"
    assert notice.amount_yen == 6_000_000
    assert notice.company_name == "株式会社A"
    assert notice.status == NoticeStatus.VALID
    data = notice.pdf.open("rb").read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == notice.sha256
    apps["A"].refresh_from_db()
    assert apps["A"].status == "notified"
    entry = AuditEntry.objects.filter(action="awards.notice_issued").get()
    assert entry.changes["number"] == notice.number
    assert AuditEntry.objects.filter(action="application.notify", object_id=str(apps["A"].pk)).exists()
    people = {m.user.email for m in apps["A"].engagement.members.all()} | {
        apps["A"].engagement.lead_advisor.email
    }
    sent = [m for m in mail.outbox if notice.number in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted(people)
    for message in sent:
        assert not message.attachments
        assert f"/applications/{apps['A'].pk}/notice/" in message.body
    # The same decision again: the same notice, nothing more.
    again = issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["A"]).pk)
    assert again.pk == notice.pk
    assert Notice.objects.count() == 1


def test_rejection_notice_has_no_amount_and_keeps_the_status(published, secretariat):
    _round, apps = published
    notice = issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["D"]).pk)
    assert notice.kind == "rejection"
    assert notice.amount_yen == 0
    apps["D"].refresh_from_db()
    assert apps["D"].status == "rejected"


def test_numbers_are_a_yearly_series(published, secretariat):
    _round, apps = published
    numbers = [
        issuing.issue_notice(actor=secretariat, decision_id=decision_of(a).pk).number for a in apps.values()
    ]
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == list(range(tails[0], tails[0] + 4))


def test_only_the_secretariat_issues_and_only_after_publication(programme, published, secretariat, make_user):
    _round, apps = published
    with pytest.raises(PermissionDenied):
        issuing.issue_notice(actor=make_user(Role.AUDITOR), decision_id=decision_of(apps["A"]).pk)
    with pytest.raises(PermissionDenied):
        issuing.start_issuing(actor=make_user(Role.FINANCE), round_obj=_round)
    rd = decision_of(apps["A"]).round_decision
    rd.published_at = None
    rd.save(update_fields=["published_at"])
    with pytest.raises(PermissionDenied, match="公表"):
        issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["A"]).pk)
    assert Notice.objects.count() == 0


def test_the_round_job_issues_all_once(published, secretariat, django_capture_on_commit_callbacks):
    round_obj, apps = published
    with django_capture_on_commit_callbacks(execute=True):
        run = issuing.start_issuing(actor=secretariat, round_obj=round_obj)
    run.refresh_from_db()
    assert run.finished_at is not None and run.issued == 4
    assert Notice.objects.filter(application__round=round_obj).count() == 4
    statuses = dict(Application.objects.filter(round=round_obj).values_list("company_name", "status"))
    assert statuses == {
        "株式会社A": "notified",
        "株式会社B": "rejected",
        "株式会社C": "notified",
        "株式会社D": "rejected",
    }
    with pytest.raises(ValidationError, match="発行済み"):
        issuing.start_issuing(actor=secretariat, round_obj=round_obj)
    # The job run again anyway (a second worker, a retry): nothing issued twice.
    issuing.issue_round_notices.call(run.pk)
    second = NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    issuing.issue_round_notices.call(second.pk)
    second.refresh_from_db()
    assert second.issued == 0
    assert Notice.objects.count() == 4


def test_a_worker_killed_midway_leaves_only_whole_notices(
    published, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    round_obj, _apps = published
    real = signing.sign_pdf
    calls = {"n": 0}

    def dies_on_the_third(pdf: bytes, **kwargs: str) -> bytes:
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")
        return real(pdf, **kwargs)

    monkeypatch.setattr(signing, "sign_pdf", dies_on_the_third)
    run = NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    with pytest.raises(SystemExit):
        issuing.issue_round_notices.call(run.pk)
    assert Notice.objects.count() == 2
    run.refresh_from_db()
    assert run.finished_at is None and run.issued == 2
    assert AuditEntry.objects.filter(action="awards.notice_issued").count() == 2
    monkeypatch.setattr(signing, "sign_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        again = issuing.start_issuing(actor=secretariat, round_obj=round_obj)
    again.refresh_from_db()
    assert again.issued == 2
    assert Notice.objects.count() == 4
    assert Notice.objects.values("decision").distinct().count() == 4
    numbers = sorted(Notice.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 4


def test_cancel_notice(published, secretariat, make_user):
    _round, apps = published
    notice = issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["A"]).pk)
    with pytest.raises(PermissionDenied):
        cancelling.cancel_notice(actor=make_user(Role.AUDITOR), notice=notice, reason="x")
    with pytest.raises(ValidationError) as refused:
        cancelling.cancel_notice(actor=secretariat, notice=notice, reason="  ")
    assert "reason" in refused.value.message_dict
    notice.refresh_from_db()
    assert notice.status == "valid"
    cancelled = cancelling.cancel_notice(actor=secretariat, notice=notice, reason="虚偽の申請が判明したため")
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert cancelled.cancel_reason == "虚偽の申請が判明したため"
    entry = AuditEntry.objects.get(action="awards.notice_cancelled")
    assert entry.changes["reason"] == "虚偽の申請が判明したため"
    again = cancelling.cancel_notice(actor=secretariat, notice=notice, reason="別の理由")
    assert again.cancel_reason == "虚偽の申請が判明したため"
    assert AuditEntry.objects.filter(action="awards.notice_cancelled").count() == 1


def _next_number_name() -> tuple[str, str]:
    """The number the next notice will get, and the file name it will be stored under."""
    today = timezone.localdate()
    number = f"DXN-{today.year}-{Notice.objects.count() + 1:06d}"
    return number, f"notices/{today:%Y}/{number}.pdf"


def test_a_notice_that_fails_after_its_pdf_is_stored_leaves_no_file(published, secretariat):
    """A real failure after the PDF is written (the number already taken by a row: the unique
    constraint refuses the insert) rolls the row back and takes the file with it."""
    _round, apps = published
    first = issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["A"]).pk)
    number, name = _next_number_name()
    # A row holding the next number (as a restored backup might), pointing at its own file.
    Notice.objects.filter(pk=first.pk).update(number=number)
    with pytest.raises(IntegrityError), transaction.atomic():
        issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["C"]).pk)
    assert not default_storage.exists(name)
    assert Notice.objects.filter(decision=decision_of(apps["C"])).count() == 0
    assert default_storage.exists(first.pdf.name)  # the other notice's file is untouched


def test_a_rerun_replaces_the_file_a_killed_run_left_behind(published, secretariat):
    """A worker killed between writing the PDF and committing leaves a file no row names; the
    rerun gets the same number and writes over it, under the same name."""
    _round, apps = published
    number, name = _next_number_name()
    default_storage.save(name, ContentFile(b"%PDF half-written by a killed worker"))
    try:
        notice = issuing.issue_notice(actor=secretariat, decision_id=decision_of(apps["A"]).pk)
        assert notice.number == number
        assert notice.pdf.name == name
        data = notice.pdf.open("rb").read()
        assert hashlib.sha256(data).hexdigest() == notice.sha256
        assert default_storage.listdir(name.rsplit("/", 1)[0])[1].count(f"{number}.pdf") == 1
    finally:
        default_storage.delete(name)
