"""Writes on applications that every part of the app shares: creation and state transitions.
Content editing, submission and staff acts live in their own modules and call these."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dxgrant.integrity.services import audit_record
from dxgrant.support.models import Engagement

from . import workflow
from .models import Application, RefusedDuplicate
from .policies import can_fire


def company_key(*, corporate_number: str, company_name: str) -> str:
    """How the company is recognised within a round: its 法人番号, or its normalised name."""
    if corporate_number:
        return corporate_number
    name = unicodedata.normalize("NFKC", company_name).replace(" ", "").replace("\u3000", "").lower()
    return f"name:{name}"


class DuplicateApplication(ValidationError):
    """The company already has a live application in the round (with any firm).

    Carries what the secretariat should see of the attempt. The refusal usually rolls back the
    transaction it happened in, so the caller records it afterwards with `record_refusal`."""

    def __init__(
        self, *, round_id: int, company_key: str, firm_id: int, actor: Any, message: str = ""
    ) -> None:
        super().__init__(
            message
            or _("この会社は、この公募回ですでに申請を進めています（別の認定事業者による申請を含みます）。"),
            code="duplicate_application",
        )
        self.attempt = {"round_id": round_id, "company_key": company_key, "firm_id": firm_id}
        self.actor = actor


def record_refusal(
    exc: DuplicateApplication, *, on_behalf_of: Any = None, detail: str = ""
) -> RefusedDuplicate:
    """Write down a refused duplicate for the secretariat, and audit it.

    Call it after the refused transaction was rolled back (outside the service's atomic block),
    so the record is not rolled back with it. `on_behalf_of` is the user the attempt is filed
    under when the person who tried has no account left (a new account rolled back with the
    refusal): the advisor whose invitation it was; `detail` then says who tried."""
    actor = on_behalf_of or exc.actor
    refused = RefusedDuplicate.objects.create(**exc.attempt, attempted_by=actor)
    audit_record(
        actor=None if on_behalf_of else actor,
        action="application.duplicate_refused",
        obj=refused,
        changes={
            "round": exc.attempt["round_id"],
            "key": exc.attempt["company_key"],
            **({"detail": detail} if detail else {}),
        },
    )
    return refused


def live_application_exists(*, round_id: int, key: str) -> bool:
    return (
        Application.objects.filter(round_id=round_id, company_key=key)
        .exclude(status__in=workflow.ENDED)
        .exists()
    )


def ensure_application(*, engagement: Engagement, actor: Any) -> Application:
    """The engagement's application, created the first time it is needed (status drafting).

    Refused with DuplicateApplication when the company already has a live application in the
    round with any firm (the database constraint decides, so two at once cannot both pass).
    """
    existing = Application.objects.filter(engagement=engagement).first()
    if existing is not None:
        return existing
    key = company_key(corporate_number=engagement.corporate_number, company_name=engagement.company_name)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=engagement.round,
                engagement=engagement,
                firm=engagement.firm,
                status=workflow.DRAFTING,
                company_key=key,
                corporate_number=engagement.corporate_number,
                company_name=engagement.company_name,
                entity_type="corporation" if engagement.corporate_number else "",
            )
            audit_record(actor=actor, action="application.created", obj=application, changes={"key": key})
    except IntegrityError as exc:
        # Two requests for the same engagement at once (a double click, advisor and applicant
        # together): the other one created it, and it is this engagement's too.
        mine = Application.objects.filter(engagement=engagement).first()
        if mine is not None:
            return mine
        raise DuplicateApplication(
            round_id=engagement.round_id, company_key=key, firm_id=engagement.firm_id, actor=actor
        ) from exc
    return application


@transaction.atomic
def transition(application: Application, *, name: str, actor: Any, note: str = "") -> Application:
    """Fire a workflow transition after checking the actor's side and the source state.

    Locks the row so two requests cannot both fire (the second sees the new state and is
    refused). Guards that need data are checked by the caller before calling this.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    allowed, reason = can_fire(actor, locked, name)
    if not allowed:
        raise PermissionDenied(reason)
    target = workflow.TRANSITIONS[name].target
    before = locked.status
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"application.{name}",
        obj=locked,
        changes={"from": before, "to": target, **({"note": note} if note else {})},
    )
    application.status = target
    return locked
