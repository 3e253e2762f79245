"""Getting the application to the secretariat: the advisor marks it ready, the applicant
confirms and submits it (inside the round's window, or by a correction's due date), or takes
it back to editing, or withdraws it.

Submission freezes an immutable snapshot (ApplicationVersion), gives the receipt number once
(kept on resubmission after a return) and emails the applicant's people and the lead advisor
on commit.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import StepUpPurpose, User
from dxgrant.accounts.services import step_up
from dxgrant.core.decisions import Decision
from dxgrant.core.models import next_number
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import guards, tasks, workflow
from ..completeness import Section
from ..models import Application, ApplicationVersion, ReturnRequest
from ..policies import can_act_as_applicant
from ..snapshot import Snapshot, build_snapshot, digest
from .transitions import transition


class ConfirmedContent(Protocol):
    """What the confirm page computed for the content the applicant reviewed (the page facts,
    selectors.ApplicationPage): reused by the submission when nothing can have changed since."""

    application: Application

    @property
    def sections(self) -> list[Section]: ...

    @property
    def readiness_problems(self) -> list[str]: ...

    @property
    def requirement_problems(self) -> list[str]: ...

    @property
    def snapshot(self) -> Snapshot: ...

    @property
    def digest(self) -> str: ...


@transaction.atomic
def mark_ready(*, application: Application, actor: User) -> Application:
    """The advisor hands the application to the applicant for confirmation.

    Callers: an advisor of the firm in good standing (workflow transition mark_ready;
    PermissionDenied otherwise). Refused: any incomplete section or a failed eligibility rule
    (guard ready_to_submit), a condition of submission not met (guard support_requirements_met:
    a confirmed hearing, the training hours, the quiz), each with its reasons. On commit, the applicant's people are
    emailed that it is their turn, with a link to the application.
    """
    locked = transition(application, name="mark_ready", actor=actor)
    locked.ready_at = timezone.now()
    # A new request is a new email to the applicant's people (the task claims the column).
    locked.confirmation_requested_notified_at = None
    locked.save(update_fields=["ready_at", "confirmation_requested_notified_at", "updated_at"])
    enqueue_on_commit(tasks.send_confirmation_request, locked.pk)
    application.status = locked.status
    return locked


def verify_totp(
    *, user: User, code: str, application: Application, ip_address: str | None = None
) -> Decision:
    """The applicant's step-up for submitting `application`: a current code from their
    authenticator, with a limit on wrong codes (accounts.services.step_up: five in ten minutes).

    Callers: the confirm page, for the signed-in applicant. Each refused code is in the audit
    log against the application; when the limit is reached the person is emailed (someone may
    be guessing), and the reason says how many tries are left or until when they are stopped.
    """
    check = step_up.verify_for(
        user=user,
        code=code,
        purpose=StepUpPurpose.SUBMISSION,
        obj=application,
        refused_action="application.submission_code_refused",
        on_locked=tasks.send_submission_code_locked,
        ip_address=ip_address,
    )
    if check:
        return Decision.allow()
    if check.attempt is None:
        return Decision.deny(_("提出には二段階認証（認証アプリ）の設定が必要です。"))
    return Decision.deny(check.refusal)


def _unchanged_since(content: ConfirmedContent | None, locked: Application) -> ConfirmedContent | None:
    """The page's facts, if they describe the locked row: content can change only while the
    application is editable, and it comes back to awaiting confirmation only through mark_ready,
    which sets a new ready_at."""
    if content is None:
        return None
    seen = content.application
    same = seen.pk == locked.pk and seen.status == locked.status and seen.ready_at == locked.ready_at
    return content if same and seen.ready_at is not None else None


def _refuse_unless_awaiting(locked: Application) -> None:
    if locked.status == workflow.AWAITING_CONFIRMATION:
        return
    if locked.receipt_number and locked.status not in (*workflow.EDITABLE, workflow.INVITED):
        # Typically a second tab, after the first one submitted.
        raise ValidationError(
            _("この申請はすでに提出されています（受付番号 %(number)s）。")
            % {"number": locked.receipt_number},
            code="already_submitted",
        )
    raise ValidationError(_("アドバイザーが確認を依頼した申請だけを提出できます。"), code="not_awaiting")


@transaction.atomic
def submit_application(
    *,
    application: Application,
    actor: User,
    submission_token: uuid.UUID,
    ip_address: str | None = None,
    seen_digest: str | None = None,
    confirmed: ConfirmedContent | None = None,
) -> ApplicationVersion:
    """The applicant submits the application as confirmed.

    Callers: the applicant's people only (never the advisor or staff: PermissionDenied), after
    the page has checked their second factor. Refused (ValidationError): outside the round's
    application window (Asia/Tokyo, the closing day counts in full) or after a correction's due
    date, a state other than awaiting confirmation, an incomplete or ineligible application, a
    condition of submission not met (a confirmed hearing, the training hours, the quiz). The
    same `submission_token` again returns the version it created (a double click or a retried
    request submits once). `seen_digest` is the fingerprint of the content the applicant
    reviewed (snapshot.digest); if the application changed since, it is refused.

    `confirmed` is the confirm page's facts: when they still describe the locked row, their task
    list and snapshot are used instead of being computed again (and the page shows them after a
    refusal).
    """
    locked = Application.objects.select_for_update().select_related("round", "firm").get(pk=application.pk)
    existing = ApplicationVersion.objects.filter(
        application=locked, submission_token=submission_token
    ).first()
    if existing is not None:
        return existing
    can_act_as_applicant(actor, locked).require()
    content = _unchanged_since(confirmed, locked)
    facts = guards.Facts(
        locked,
        task_list=content.sections if content else None,
        readiness=content.readiness_problems if content else None,
        requirements=content.requirement_problems if content else None,
    )
    # In the order people are told: the dates first, then the state, then the content and the
    # conditions of submission.
    guards.require(facts, [workflow.CORRECTION_NOT_OVERDUE, workflow.WINDOW_OPEN])
    _refuse_unless_awaiting(locked)
    guards.require(facts, [workflow.READY_TO_SUBMIT, workflow.SUPPORT_REQUIREMENTS_MET])
    snapshot = content.snapshot if content else build_snapshot(locked)
    if seen_digest is not None and seen_digest != (content.digest if content else digest(snapshot)):
        raise ValidationError(
            _(
                "確認画面を開いた後に申請の内容が変わりました。下の最新の内容を確認し、新しい確認コードを入力して提出してください。"
            ),
            code="changed_since_seen",
        )
    locked = transition(locked, name="submit", actor=actor, facts=facts)
    now = timezone.now()
    if not locked.receipt_number:
        year = timezone.localdate(now).year
        prefix = locked.round.rules.application.receipt_prefix
        # One series per prefix and year: the number does not name the round, and rounds may
        # share a prefix.
        number = next_number(f"receipt-{prefix}", year)
        locked.receipt_number = f"{prefix}-{year}-{number:06d}"
    locked.submitted_at = now
    locked.returned_until = None
    locked.save(update_fields=["receipt_number", "submitted_at", "returned_until", "updated_at"])
    version = ApplicationVersion.objects.create(
        application=locked,
        number=locked.versions.count() + 1,
        snapshot=snapshot,
        submitted_by=actor,
        submitted_at=now,
        ip_address=ip_address,
        submission_token=submission_token,
    )
    # The correction answers the open return(s).
    ReturnRequest.objects.filter(application=locked, resolved_at__isnull=True).update(resolved_at=now)
    audit_record(
        actor=actor,
        action="application.version_frozen",
        obj=locked,
        changes={"receipt_number": locked.receipt_number, "version": version.number},
    )
    enqueue_on_commit(tasks.send_submission_receipt, locked.pk, version.pk)
    application.status = locked.status
    application.receipt_number = locked.receipt_number
    return version


@transaction.atomic
def reopen(*, application: Application, actor: User) -> Application:
    """Take an application awaiting the applicant's confirmation back to editing (修正に戻す):
    the advisor (to change something) or the applicant (who found something to change). A
    correction after a return goes back to being a correction. The advisor marks it ready again.
    Refused (PermissionDenied) to anyone else or from another state."""
    name = "reopen_correction" if application.returned_until is not None else "reopen"
    locked = transition(application, name=name, actor=actor)
    locked.ready_at = None
    locked.save(update_fields=["ready_at", "updated_at"])
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, actor: User, reason: str = "") -> Application:
    """The applicant withdraws the application (取下げ). Callers: the applicant's people only
    (PermissionDenied for anyone else or from a state that cannot be withdrawn)."""
    can_act_as_applicant(actor, application).require()
    return transition(application, name="withdraw", actor=actor, note=reason.strip()[:500])
