"""Issuing the notices of a published round (交付決定通知書 / 不採択通知書).

One notice per decision, each in its own transaction: numbered, rendered, signed, stored with its
SHA-256, the award's application moved awarded → notified through the workflow table, the audit
entry written and the email enqueued, all or nothing: a notice row always has its file, and a
file never outlives its rolled-back row (deleted when the transaction fails; overwritten by the
rerun, which gets the same number, if the process died before it could delete it). The round's job (`issue_round_notices`, a
django-tasks task enqueued by `start_issuing`) walks the decisions still without a notice, so it
is idempotent and a worker killed midway leaves only complete notices: the next run issues the
missing ones. A second worker on the same round cannot issue a decision twice (the decision row is
locked, and `Notice.decision` is unique).

The job lives here, beside the service it runs, rather than in tasks.py: it is the use case's
work, not a notification, and tasks.py (imported by this module for the email) never imports
services."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.services.transitions import transition
from dxgrant.core.models import next_number
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.decisions import figures
from dxgrant.decisions.models import Decision, RoundDecision
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import notice_pdf, policies, tasks
from ..models import NOTICE_PREFIX, NOTICE_SERIES, Notice, NoticeKind, NoticeRun, notice_upload_to


def notice_number(year: int) -> str:
    """The next notice number of the year's series, e.g. DXN-2026-000123."""
    return f"{NOTICE_PREFIX}-{year}-{next_number(NOTICE_SERIES, year):06d}"


@transaction.atomic
def issue_notice(*, actor: User, decision_id: int) -> Notice:
    """Issue the notice of one published decision; the existing notice if it has one.

    Callers: the secretariat (the round's job runs as the person who started it). Refused: the
    round's results not published."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("round_decision__round", "application")
        .get(pk=decision_id)
    )
    policies.can_issue_notices(actor, decision.round_decision).require()
    existing = Notice.objects.filter(decision_id=decision.pk).first()
    if existing is not None:
        return existing
    application = decision.application
    today = timezone.localdate()
    award = decision.outcome == figures.AWARDED
    printed = notice_pdf.Printed(
        number=notice_number(today.year),
        kind=NoticeKind.AWARD if award else NoticeKind.REJECTION,
        issued_on=today,
        company_name=application.company_name,
        corporate_number=application.corporate_number,
        amount_yen=decision.amount_yen if award else 0,
    )
    pdf = notice_pdf.signed_notice(printed, decision, decision.round_decision.round)
    notice = Notice(
        number=printed.number,
        kind=printed.kind,
        decision=decision,
        application=application,
        issued_on=printed.issued_on,
        issued_by=actor,
        amount_yen=printed.amount_yen,
        company_name=printed.company_name,
        corporate_number=printed.corporate_number,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    _store_pdf(notice, pdf)
    try:
        _record(actor, notice, award=award)
    except BaseException:
        # The row rolls back; its file must not stay behind without it.
        notice.pdf.storage.delete(notice.pdf.name)
        raise
    enqueue_on_commit(tasks.send_notice_issued, notice.pk)
    return notice


def _store_pdf(notice: Notice, pdf: bytes) -> None:
    """Write the PDF under the number's own name (`notice_upload_to`). A file already there
    that no notice row names is an orphan of a run that died before its commit (numbers are
    taken under the sequence's row lock and come back on rollback, so a rerun gets the same
    number): it is replaced, never piled up beside."""
    name = notice_upload_to(notice, "")
    storage = notice.pdf.storage
    if storage.exists(name) and not Notice.objects.filter(pdf=name).exists():
        storage.delete(name)
    notice.pdf.save(name, ContentFile(pdf), save=False)


def _record(actor: User, notice: Notice, *, award: bool) -> None:
    """The notice's row, the award's workflow step and the audit entry."""
    application = notice.application
    notice.save()
    if award and application.status == workflow.AWARDED:
        transition(application, name="notify", actor=actor, note=notice.number)
    audit_record(
        actor=actor,
        action="awards.notice_issued",
        obj=notice,
        changes={
            "number": notice.number,
            "kind": notice.kind,
            "application": application.pk,
            "amount_yen": notice.amount_yen,
            "sha256": notice.sha256,
        },
    )


@transaction.atomic
def start_issuing(*, actor: User, round_obj: Round) -> NoticeRun:
    """Start the background job issuing the round's missing notices.

    Callers: the secretariat. Refused: results not published; every notice already issued."""
    round_decision = RoundDecision.objects.filter(round=round_obj).first()
    policies.can_issue_notices(actor, round_decision).require()
    assert round_decision is not None
    missing = round_decision.entries.filter(notice__isnull=True).count()
    if missing == 0:
        raise ValidationError(_("この公募回の通知書はすべて発行済みです。"))
    run = NoticeRun.objects.create(round=round_obj, requested_by=actor)
    audit_record(
        actor=actor,
        action="awards.notices_requested",
        obj=run,
        changes={"round": round_obj.code, "missing": missing},
    )
    enqueue_on_commit(issue_round_notices, run.pk)
    return run


def pending_decisions(round_id: int) -> list[int]:
    """The round's decisions without a notice, in rank order."""
    return list(
        Decision.objects.filter(round_decision__round_id=round_id, notice__isnull=True)
        .order_by("rank")
        .values_list("pk", flat=True)
    )


def issue_pending(run: NoticeRun) -> int:
    """Issue every missing notice of the run's round, one transaction each; the number issued."""
    actor = run.requested_by
    issued = 0
    for decision_id in pending_decisions(run.round_id):
        with transaction.atomic():
            if Notice.objects.filter(decision_id=decision_id).exists():
                continue  # another worker issued it meanwhile
            issue_notice(actor=actor, decision_id=decision_id)
            issued += 1
            NoticeRun.objects.filter(pk=run.pk).update(issued=issued, progressed_at=timezone.now())
    return issued


@task()
def issue_round_notices(run_id: int) -> None:
    """The job of one press of "issue the notices" (start_issuing)."""
    run = NoticeRun.objects.select_related("requested_by").filter(pk=run_id, finished_at__isnull=True).first()
    if run is None:
        return
    now = timezone.now()
    NoticeRun.objects.filter(pk=run.pk).update(started_at=now, progressed_at=now)
    issue_pending(run)
    NoticeRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
