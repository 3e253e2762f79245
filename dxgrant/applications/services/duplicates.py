"""One live application per company per round (with any firm): how the company is recognised,
the refusal, and the record the secretariat sees of a refused attempt."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import workflow
from ..models import Application, RefusedDuplicate


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
        self, *, round_id: int, company_key: str, firm_id: int, actor: User, message: str = ""
    ) -> None:
        super().__init__(
            message
            or _("この会社は、この公募回ですでに申請を進めています（別の認定事業者による申請を含みます）。"),
            code="duplicate_application",
        )
        self.attempt = {"round_id": round_id, "company_key": company_key, "firm_id": firm_id}
        self.actor = actor


@transaction.atomic
def record_refusal(
    exc: DuplicateApplication, *, on_behalf_of: User | None = None, detail: str = ""
) -> RefusedDuplicate:
    """Write down a refused duplicate for the secretariat, and audit it (one transaction).

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
