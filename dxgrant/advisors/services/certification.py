"""The secretariat's decisions about a firm: on a submitted registration, request changes (修正依頼),
reject (不認定) or certify (認定); on a certified firm, renew, suspend, reinstate or revoke (取消).

Each decision is a transition of `advisors/lifecycle.py`, checked there for its source state
and guards, saved with a review event and an audit entry in one transaction; the firm is told
by email on commit (and, when its certification changes, every applicant it supports).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.lifecycle import Transition
from dxgrant.core.models import next_number
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import lifecycle, policies, tasks
from ..models import AdvisorFirm, CertificationState, FirmReviewEvent, ReviewAction
from ..sections import registration_missing
from ..validity import validity_end
from .registration import IncompleteRegistration, jsonable

# The review event each decision leaves in the firm's history (also the audit action's name).
EVENTS: dict[str, ReviewAction] = {
    "certify": ReviewAction.CERTIFIED,
    "request_changes": ReviewAction.CHANGES_REQUESTED,
    "reject": ReviewAction.REJECTED,
    "renew": ReviewAction.RENEWED,
    "suspend": ReviewAction.SUSPENDED,
    "reinstate": ReviewAction.REINSTATED,
    "revoke": ReviewAction.REVOKED,
}


def _guard_refusal(guard: str) -> str:
    return {
        "registration_certified": _("認定されていない事業者です。"),
        "certification_not_revoked": _("認定は取り消されています。取消しは元に戻せません。"),
    }[guard]


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("理由を入力してください。"))
    return reason


def _lock_for_decision(*, actor: User, firm: AdvisorFirm, name: str, reason: str) -> tuple[AdvisorFirm, str]:
    """Who (the secretariat), the reason when the table asks for one, then, on the locked firm,
    the guards on its state and the transition's source state, each refused in words the
    secretariat reads (ValidationError)."""
    policies.can_review_registrations(actor).require()
    transition = lifecycle.decision(name)
    if "reason_given" in transition.guards:
        reason = _require_reason(reason)
    locked = AdvisorFirm.objects.select_for_update(of=("self",)).select_related("programme").get(pk=firm.pk)
    for guard in transition.guards:
        holds = lifecycle.STATE_GUARDS.get(guard)
        if holds is not None and not holds(locked):
            raise ValidationError(_guard_refusal(guard))
    if not lifecycle.in_source_state(transition, locked):
        if transition.name in lifecycle.REGISTRATION.transitions:
            raise ValidationError(
                _("審査中の登録ではありません（すでに判断済みか、まだ提出されていません）。")
            )
        raise ValidationError(
            _("現在の状態（%(state)s）からはこの操作はできません。")
            % {"state": locked.get_certification_state_display()}
        )
    return locked, reason


def _record(*, actor: User, firm: AdvisorFirm, name: str, reason: str) -> FirmReviewEvent:
    event = FirmReviewEvent.objects.create(firm=firm, action=EVENTS[name], reason=reason, actor=actor)
    enqueue_on_commit(tasks.send_firm_decision, event.pk)
    return event


# --- On a submitted registration ----------------------------------------------------------------


def _decide_registration(*, actor: User, firm: AdvisorFirm, name: str, reason: str) -> FirmReviewEvent:
    locked, reason = _lock_for_decision(actor=actor, firm=firm, name=name, reason=reason)
    locked.registration_status = lifecycle.REGISTRATION[name].target
    locked.decided_at = timezone.now()
    locked.save(update_fields=["registration_status", "decided_at", "updated_at"])
    event = _record(actor=actor, firm=locked, name=name, reason=reason)
    audit_record(actor=actor, action=f"advisor_firm.{event.action}", obj=locked, changes={"reason": reason})
    return event


@transaction.atomic
def request_registration_changes(*, actor: User, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Return a submitted registration to the registrant for correction (修正依頼). Secretariat
    only; needs a reason, which the registrant sees; refuses anything not awaiting review."""
    return _decide_registration(actor=actor, firm=firm, name="request_changes", reason=reason)


@transaction.atomic
def reject_registration(*, actor: User, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Refuse a submitted registration (不認定); final. Secretariat only; needs a reason."""
    return _decide_registration(actor=actor, firm=firm, name="reject", reason=reason)


@transaction.atomic
def certify_firm(
    *, actor: User, firm: AdvisorFirm, note: str = "", today: dt.date | None = None
) -> FirmReviewEvent:
    """Certify a submitted registration: issues the certification number (e.g. DXA-2026-00042,
    numbered per year without gaps) and the validity period from today for the programme's
    validity_months. Secretariat only; refuses anything not awaiting review and an incomplete
    registration."""
    locked, _reason = _lock_for_decision(actor=actor, firm=firm, name="certify", reason=note)
    missing = registration_missing(locked)
    if missing:
        raise IncompleteRegistration(missing)
    rules = locked.programme.certification_rules
    prefix = rules.number_prefix
    today = today or timezone.localdate()
    number = next_number(f"advisor-cert-{prefix}", today.year)
    locked.certification_number = f"{prefix}-{today.year}-{number:05d}"
    locked.registration_status = lifecycle.REGISTRATION["certify"].target
    locked.certification_state = CertificationState.ACTIVE
    locked.valid_from = today
    locked.valid_until = validity_end(today, rules.validity_months)
    locked.decided_at = timezone.now()
    locked.state_changed_at = locked.decided_at
    locked.save(
        update_fields=[
            "certification_number",
            "registration_status",
            "certification_state",
            "valid_from",
            "valid_until",
            "decided_at",
            "state_changed_at",
            "updated_at",
        ]
    )
    event = _record(actor=actor, firm=locked, name="certify", reason=note.strip())
    audit_record(
        actor=actor,
        action="advisor_firm.certified",
        obj=locked,
        changes={
            "certification_number": locked.certification_number,
            "valid_from": today.isoformat(),
            "valid_until": locked.valid_until.isoformat(),
            "note": note.strip(),
        },
    )
    return event


# --- On a certified firm --------------------------------------------------------------------------


@transaction.atomic
def renew_certification(
    *, actor: User, firm: AdvisorFirm, reason: str, today: dt.date | None = None
) -> FirmReviewEvent:
    """Extend the validity by the programme's validity_months, counted from the day after the
    current end, or from today if the certification has already expired. A suspended firm stays
    suspended. Secretariat only; needs a reason; refuses a revoked firm."""
    locked, reason = _lock_for_decision(actor=actor, firm=firm, name="renew", reason=reason)
    months = locked.programme.certification_rules.validity_months
    today = today or timezone.localdate()
    before = {"valid_from": jsonable(locked.valid_from), "valid_until": jsonable(locked.valid_until)}
    assert locked.valid_until is not None
    if locked.valid_until < today:
        locked.valid_from = today
        locked.valid_until = validity_end(today, months)
    else:
        locked.valid_until = validity_end(locked.valid_until + dt.timedelta(days=1), months)
    locked.save(update_fields=["valid_from", "valid_until", "updated_at"])
    assert locked.valid_from is not None
    event = _record(actor=actor, firm=locked, name="renew", reason=reason)
    after = {"valid_from": locked.valid_from.isoformat(), "valid_until": locked.valid_until.isoformat()}
    audit_record(
        actor=actor,
        action="advisor_firm.renewed",
        obj=locked,
        changes={"reason": reason, "before": before, "after": after},
    )
    return event


def _change_state(*, actor: User, firm: AdvisorFirm, name: str, reason: str) -> FirmReviewEvent:
    locked, reason = _lock_for_decision(actor=actor, firm=firm, name=name, reason=reason)
    transition: Transition = lifecycle.CERTIFICATION[name]
    before = locked.certification_state
    locked.certification_state = transition.target
    locked.state_reason = reason
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["certification_state", "state_reason", "state_changed_at", "updated_at"])
    event = _record(actor=actor, firm=locked, name=name, reason=reason)
    audit_record(
        actor=actor,
        action=f"advisor_firm.{event.action}",
        obj=locked,
        changes={"reason": reason, "state": [before, str(transition.target)]},
    )
    enqueue_on_commit(tasks.notify_affected_applicants, event.pk)
    return event


@transaction.atomic
def suspend_certification(*, actor: User, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Suspend a certified firm: its advisors can no longer invite applicants or edit
    applications (see policies.can_act_as_advisor); their work so far is kept. The firm and
    every applicant it supports are told. Secretariat only; needs a reason; refuses a firm that
    is not active."""
    return _change_state(actor=actor, firm=firm, name="suspend", reason=reason)


@transaction.atomic
def reinstate_certification(*, actor: User, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Lift a suspension. The firm and its applicants are told. Secretariat only; needs a
    reason; refuses a firm that is not suspended."""
    return _change_state(actor=actor, firm=firm, name="reinstate", reason=reason)


@transaction.atomic
def revoke_certification(*, actor: User, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Revoke a certification (取消); final. The firm stays on the public register as revoked,
    its work so far is kept, and the firm and its applicants are told. Secretariat only; needs a
    reason. (The page also asks the secretariat to confirm that it cannot be undone.)"""
    return _change_state(actor=actor, firm=firm, name="revoke", reason=reason)
