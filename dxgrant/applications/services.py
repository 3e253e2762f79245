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
    pass


def ensure_application(*, engagement: Engagement, actor: Any) -> Application:
    """The engagement's application, created the first time it is needed (status drafting).

    Refused with DuplicateApplication when the company already has a live application in the
    round with any firm; the attempt is recorded for the secretariat (RefusedDuplicate) outside
    the refused transaction.
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
        RefusedDuplicate.objects.create(
            round=engagement.round, company_key=key, firm=engagement.firm, attempted_by=actor
        )
        raise DuplicateApplication(
            _("この会社は、この公募回ですでに申請を進めています（別の認定事業者による申請を含みます）。"),
            code="duplicate_application",
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
