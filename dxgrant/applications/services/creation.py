"""The engagement's application, created the first time someone opens it."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record
from dxgrant.support.models import Engagement

from .. import workflow
from ..models import Application, EntityType
from .duplicates import DuplicateApplication, company_key


def ensure_application(*, engagement: Engagement, actor: User) -> Application:
    """The engagement's application, created the first time it is needed (status drafting).

    Callers: the engagement's people or its firm's advisor (the support pages decide who may
    open it). Refused with DuplicateApplication when the company already has a live application
    in the round with any firm (the database constraint decides, so two at once cannot both
    pass).
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
                entity_type=EntityType.CORPORATION if engagement.corporate_number else "",
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
