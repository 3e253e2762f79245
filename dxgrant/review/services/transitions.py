"""Firing a transition of the assignment's lifecycle (`review/lifecycle.py`): the one place an
assignment's status changes one by one. (A draw creates places in bulk; it never changes one.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import lifecycle
from ..models import Assignment


def fire(
    assignment: Assignment,
    name: str,
    *,
    actor: User,
    side: str,
    action: str,
    fields: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Assignment:
    """Move `assignment` (locked by the caller) along transition `name` for `actor` on `side`,
    save `fields` with the new status and write `action` to the audit log. Refused: a transition
    the table does not allow from this state (ValidationError) or to this side (PermissionDenied)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fire() must run inside the service's transaction")
    table = lifecycle.ASSIGNMENT
    if not table.allows(name, assignment.status):
        raise ValidationError(_("現在の状態ではこの操作はできません。"), code="not_allowed_in_state")
    if not table.allows(name, assignment.status, side):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    before = assignment.status
    assignment.status = table[name].target
    for field, value in (fields or {}).items():
        setattr(assignment, field, value)
    assignment.save(update_fields=["status", *(fields or {})])
    audit_record(
        actor=actor,
        action=action,
        obj=assignment,
        changes={
            "status": [before, assignment.status],
            "application": assignment.application_id,
            "reviewer": assignment.reviewer_id,
            **(changes or {}),
        },
    )
    return assignment


def locked(assignment_id: int) -> Assignment:
    """The assignment, locked for the rest of the transaction (with its application and round)."""
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__round", "reviewer")
        .get(pk=assignment_id)
    )
