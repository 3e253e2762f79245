"""The secretariat's acts on a submitted application: the formal screening (形式審査) — begin,
confirm each item of the round's checklist, pass to review or reject as ineligible with
reasons — and returning it for correction (差戻し). Only the secretariat may call these (the
transition checks the actor's side and the state); auditors and everyone else are refused.
Also the record that a staff member opened one of the application's files."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.accounts.policies import can_act_as_secretariat, is_staff_reader
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import guards, screening_selectors, tasks, workflow
from ..models import (
    Application,
    ApplicationDocument,
    DocumentOpening,
    ReturnRequest,
    ScreeningCheck,
    ScreeningDecision,
    ScreeningOutcome,
)
from ..returns import COMMENT_MAX_CHARS, return_due_on, return_sections
from .transitions import transition


@transaction.atomic
def begin_screening(application: Application, *, actor: User) -> Application:
    """Start the formal screening of a submitted application. Secretariat only; refused with
    PermissionDenied for anyone else or from any state but submitted."""
    return transition(application, name="begin_screening", actor=actor)


@transaction.atomic
def return_for_correction(
    application: Application, *, actor: User, comments: Mapping[str, str]
) -> ReturnRequest:
    """Return a submitted or screening application to the applicant and advisor for correction.

    `comments` maps section codes (returns.return_sections) to what must be corrected; at least
    one is required and unknown sections are refused (ValidationError). The due date is today
    plus the round's return period. Refused with PermissionDenied for anyone but the secretariat
    or from another state, and with ValidationError when no version was filed (guard
    has_filed_version). The applicant's people and the lead advisor are emailed once, on commit.
    """
    known = {code for code, _title in return_sections(application)}
    cleaned = {code: str(text).strip() for code, text in comments.items() if str(text or "").strip()}
    unknown = sorted(set(cleaned) - known)
    if unknown:
        raise ValidationError(
            _("不明な項目へのコメントは受け付けられません：%(codes)s") % {"codes": "、".join(unknown)},
            code="unknown_section",
        )
    if not cleaned:
        raise ValidationError(
            _("修正してほしい項目に、少なくとも一つコメントを書いてください。"), code="no_comments"
        )
    too_long = [code for code, text in cleaned.items() if len(text) > COMMENT_MAX_CHARS]
    if too_long:
        raise ValidationError(
            _("コメントは%(n)s文字以内で書いてください。") % {"n": COMMENT_MAX_CHARS}, code="too_long"
        )
    facts = guards.Facts(application)
    locked = transition(application, name="return", actor=actor, facts=facts)
    version = facts.latest_version
    assert version is not None  # the guard has_filed_version held
    due_on = return_due_on(locked)
    locked.returned_until = due_on
    locked.save(update_fields=["returned_until", "updated_at"])
    application.returned_until = due_on
    request = ReturnRequest.objects.create(
        application=locked, version=version, comments=cleaned, due_on=due_on, returned_by=actor
    )
    audit_record(
        actor=actor,
        action="application.return_requested",
        obj=locked,
        changes={"version": version.number, "due_on": due_on.isoformat(), "comments": cleaned},
    )
    enqueue_on_commit(tasks.send_return_notice, request.pk)
    return request


NOTE_MAX_CHARS = 2000
REASONS_MAX_CHARS = 4000


def _screening_of(application: Application, actor: User) -> Application:
    """The application locked and in screening: a submitted one begins its screening here (the
    secretariat starts from the queue), so confirming its first item is also beginning."""
    can_act_as_secretariat(actor).require()
    locked = Application.objects.select_for_update().select_related("round", "firm").get(pk=application.pk)
    if locked.status == workflow.SUBMITTED:
        transition(locked, name="begin_screening", actor=actor)
    if locked.status != workflow.SCREENING:
        raise ValidationError(_("この申請は形式審査中ではありません。"), code="not_screening")
    return locked


@transaction.atomic
def confirm_item(
    application: Application, *, actor: User, code: str, met: bool, note: str = ""
) -> ScreeningCheck:
    """The secretariat confirms one item of the round's checklist for the latest submitted
    version: met or not, with a note (required when the person's answer differs from the
    system's finding). The finding is judged again now and kept beside the answer; a second
    confirmation of the same item replaces the first. Secretariat only (PermissionDenied);
    refused with ValidationError for an unknown item, a note too long, or an application
    that is not being screened."""
    locked = _screening_of(application, actor)
    note = note.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError({"note": _("メモは%(n)s文字以内で書いてください。") % {"n": NOTE_MAX_CHARS}})
    checklist = screening_selectors.checklist(locked)
    row = checklist.row(code)
    if row is None or checklist.version is None:
        raise ValidationError(
            _("この公募回の形式審査にない項目です：%(code)s") % {"code": code}, code="unknown_item"
        )
    if row.finding.met is not None and row.finding.met != met and not note:
        raise ValidationError(
            {"note": _("システムの確認結果と異なる判断をする場合は、その理由をメモに書いてください。")}
        )
    check, _created = ScreeningCheck.objects.update_or_create(
        version=checklist.version,
        code=code,
        defaults={
            "application": locked,
            "kind": row.item.check,
            "finding": row.finding.as_json(),
            "met": met,
            "note": note,
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="application.screening_item_confirmed",
        obj=locked,
        changes={
            "version": checklist.version.number,
            "code": code,
            "met": met,
            "note": note,
            "finding": row.finding.as_json(),
        },
    )
    application.status = locked.status
    return check


def _decide(
    locked: Application, *, actor: User, name: str, outcome: str, reasons: str = ""
) -> ScreeningDecision:
    checklist = screening_selectors.checklist(locked)
    version = checklist.version
    if version is None:
        raise ValidationError(_("提出された版がないため判断できません。"), code="no_version")
    findings = checklist.findings()
    transition(
        locked,
        name=name,
        actor=actor,
        facts=guards.Facts(locked),
        changes={
            "version": version.number,
            "findings": findings,
            **({"reasons": reasons} if reasons else {}),
        },
    )
    return ScreeningDecision.objects.create(
        application=locked,
        version=version,
        outcome=outcome,
        reasons=reasons,
        findings=findings,
        decided_by=actor,
        decided_at=timezone.now(),
    )


@transaction.atomic
def pass_screening(application: Application, *, actor: User) -> ScreeningDecision:
    """Pass the screening: the application goes to review (in_review). Refused (ValidationError,
    guard screening_confirmed) until every item of the round's checklist is confirmed as met
    for the latest version; PermissionDenied for anyone but the secretariat or from another
    state. The audit entry keeps the checklist's findings and confirmations."""
    locked = _screening_of(application, actor)
    decision = _decide(locked, actor=actor, name="pass_screening", outcome=ScreeningOutcome.PASSED)
    application.status = locked.status
    return decision


@transaction.atomic
def reject_as_ineligible(application: Application, *, actor: User, reasons: str) -> ScreeningDecision:
    """Reject the application as ineligible at screening, with reasons the applicant reads on
    the application's page (required). The applicant's people and the lead advisor are emailed
    once, on commit, with a link to the application. Secretariat only; refused from any state
    but submitted or screening."""
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": _("不採択の理由を、申請者が読んで分かるように書いてください。")})
    if len(reasons) > REASONS_MAX_CHARS:
        raise ValidationError(
            {"reasons": _("理由は%(n)s文字以内で書いてください。") % {"n": REASONS_MAX_CHARS}}
        )
    locked = _screening_of(application, actor)
    decision = _decide(
        locked, actor=actor, name="reject_ineligible", outcome=ScreeningOutcome.REJECTED, reasons=reasons
    )
    enqueue_on_commit(tasks.send_screening_rejection, decision.pk)
    application.status = locked.status
    return decision


@transaction.atomic
def record_document_opening(*, actor: User, document: ApplicationDocument) -> DocumentOpening | None:
    """A staff member (secretariat or auditor) downloaded one of the application's files: the
    first time is kept, with the last. Nothing is recorded for anyone else."""
    if not is_staff_reader(actor):
        return None
    now = timezone.now()
    opening, created = DocumentOpening.objects.get_or_create(
        application_id=document.application_id,
        sha256=document.sha256,
        opened_by=actor,
        defaults={"first_opened_at": now, "last_opened_at": now},
    )
    if not created:
        DocumentOpening.objects.filter(pk=opening.pk).update(last_opened_at=now)
    return opening
