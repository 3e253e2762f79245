"""Firing a transition of the engagement's lifecycle (`support/lifecycle.py`): the one place
an engagement's status changes.

`fire` checks the table (the transition starts from the current state and the actor's side may
fire it), evaluates its guards, saves the new state with the fields that go with it and writes
the audit entry, all in the caller's transaction. The callers (`invitations`, `ending`) check
who the person is with `policies` first; the table then says what that side may do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record

from .. import lifecycle
from ..models import Engagement


def _application_not_submitted(engagement: Engagement) -> None:
    """Ending the support closes an application not yet submitted; a submitted one stays with
    its firm until the applicant withdraws it or the secretariat decides on it."""
    application = Application.objects.filter(engagement=engagement).first()
    if application is None or application.status in workflow.ENDED:
        return
    if application.status not in workflow.TRANSITIONS["close_with_support"].sources:
        raise ValidationError(
            _(
                "提出済みの申請があるため、支援を終了できません。申請者が申請を取り下げるか、"
                "事務局の判断が出てから終了してください。"
            ),
            code="application_submitted",
        )


# Each guard named in the table: raises ValidationError (with the message for the person) when
# it does not hold.
GUARDS: Mapping[str, Callable[[Engagement], None]] = {
    lifecycle.APPLICATION_NOT_SUBMITTED: _application_not_submitted,
}


def fire(
    engagement: Engagement,
    name: str,
    *,
    actor: User,
    side: str,
    action: str,
    fields: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Engagement:
    """Move `engagement` (locked by the caller) along transition `name` for `actor`, who is on
    `side` of it; save `fields` with the new status and write `action` to the audit log with
    `changes`. The save runs in a savepoint, so a database constraint it breaks (one active
    engagement per company and round) raises IntegrityError for the caller to explain, with
    nothing written. Refused: a transition the table does not allow from this state
    (ValidationError) or to this side (PermissionDenied); a guard that does not hold."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fire() must run inside the service's transaction")
    table = lifecycle.ENGAGEMENT
    if not table.allows(name, engagement.status):
        raise ValidationError(_("現在の状態ではこの操作はできません。"), code="not_allowed_in_state")
    if not table.allows(name, engagement.status, side):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    for guard in table.guards_of(name):
        GUARDS[guard](engagement)
    engagement.status = table[name].target
    for field, value in (fields or {}).items():
        setattr(engagement, field, value)
    with transaction.atomic():
        engagement.save(update_fields=["status", *(fields or {}), "updated_at"])
    audit_record(actor=actor, action=action, obj=engagement, changes=dict(changes or {}))
    return engagement
