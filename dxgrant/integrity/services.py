"""Writing to the audit log. Checking it is verification.py (its verify_audit_chain is also
importable from here, where it used to live)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from dxgrant.accounts.models import User, Visitor
from dxgrant.core.notify import enqueue_on_commit

from . import checkpoints, tasks
from .context import current_ip
from .models import GENESIS_HASH, AuditEntry
from .verification import ChainReport, verify_audit_chain

__all__ = ["AuditOutsideTransaction", "ChainReport", "audit_record", "verify_audit_chain"]

# Any constant works; it names the lock that serialises appends on PostgreSQL.
_AUDIT_LOCK_KEY = 0x64786772616E74


def _describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


class AuditOutsideTransaction(RuntimeError):
    """audit_record was called outside a transaction: the entry could outlive a change that
    was rolled back, or a change could be kept without its entry."""


def _in_callers_transaction() -> bool:
    # A test case's own wrapping transaction does not count: the code under test must open one.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def audit_record(
    *,
    actor: Visitor | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEntry:
    """Append one entry, inside the transaction that makes the change it records, so both are
    kept or neither is; called outside one, it refuses (AuditOutsideTransaction). `actor` is a
    user or None for the system itself (an anonymous visitor is recorded as the system)."""
    if not _in_callers_transaction():
        raise AuditOutsideTransaction(
            f"audit_record({action!r}) must run inside the transaction of its change"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
    # On SQLite the IMMEDIATE transaction mode already holds the database write lock here.
    head = AuditEntry.objects.order_by("-seq").only("seq", "entry_hash").first()
    if obj is not None:
        object_type, object_id = _describe(obj)
    user = actor if isinstance(actor, User) else None
    entry = AuditEntry(
        seq=(head.seq + 1) if head else 1,
        created_at=timezone.now(),
        actor=user,
        actor_label=user.email if user else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=changes or {},
        ip_address=current_ip(),
        prev_hash=head.entry_hash if head else GENESIS_HASH,
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    every = int(getattr(settings, "DXGRANT_AUDIT_CHECKPOINT_EVERY", 0) or 0)
    if every and entry.seq % every == 0 and checkpoints.configured_file() is not None:
        enqueue_on_commit(tasks.write_checkpoint)
    return entry
