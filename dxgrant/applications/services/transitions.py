"""Firing a transition of the application's workflow (workflow.LIFECYCLE): the one place that
changes `Application.status`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import guards, workflow
from ..models import Application
from ..policies import can_fire


@transaction.atomic
def transition(
    application: Application,
    *,
    name: str,
    actor: User,
    note: str = "",
    facts: guards.Facts | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Application:
    """Fire workflow transition `name` after checking the actor's side and the source state
    (PermissionDenied) and every guard the table names for it (ValidationError).

    Locks the row so two requests cannot both fire (the second sees the new state and is
    refused). `facts` are what the caller already computed for the guards (the page's task
    list); without them the guards read the locked row. `changes` are added to the audit
    entry's (the screening's checklist findings, for example).
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    can_fire(actor, locked, name).require()
    guards.require(facts or guards.Facts(locked), workflow.LIFECYCLE.guards_of(name))
    target = workflow.LIFECYCLE[name].target
    before = locked.status
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"application.{name}",
        obj=locked,
        changes={"from": before, "to": target, **({"note": note} if note else {}), **(changes or {})},
    )
    application.status = target
    return locked
