"""How an audit entry is hashed: an HMAC-SHA-256 of its canonical JSON, keyed with a secret kept
outside the database (`DXGRANT_AUDIT_KEY`).

A plain SHA-256 chain proves nothing against someone who can write the table: they change an
entry and recompute every hash after it. With a key they do not hold, the recomputed chain does
not verify. A deleted tail still leaves an intact chain, which is why the head is also written
to checkpoints outside the database (checkpoints.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS_HASH = "0" * 64
# Domain separation: the same key signs entries and checkpoints, never interchangeably.
ENTRY_CONTEXT = b"dxgrant-audit-entry\x00"
CHECKPOINT_CONTEXT = b"dxgrant-audit-checkpoint\x00"


def audit_key() -> bytes:
    key = str(getattr(settings, "DXGRANT_AUDIT_KEY", "") or "")
    if len(key) < 32:
        raise ImproperlyConfigured(
            "DXGRANT_AUDIT_KEY must be set to a secret of at least 32 characters "
            "(kept outside the database; see docs/operations.md)."
        )
    return key.encode("utf-8")


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode(
        "utf-8"
    )


def payload_of(entry: Any) -> dict[str, Any]:
    """The fields of an entry the hash covers, in a stable form (works on historical models in
    migrations too)."""
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "ip_address": entry.ip_address,
        "prev_hash": entry.prev_hash,
    }


def entry_mac(payload: dict[str, Any], key: bytes | None = None) -> str:
    """The keyed hash of an entry's payload (hex)."""
    return hmac.new(key or audit_key(), ENTRY_CONTEXT + canonical(payload), hashlib.sha256).hexdigest()


def plain_sha256(payload: dict[str, Any]) -> str:
    """How entries were hashed before the chain was keyed (read by the re-keying only)."""
    return hashlib.sha256(canonical(payload)).hexdigest()


def checkpoint_signature(payload: dict[str, Any], key: bytes | None = None) -> str:
    return hmac.new(key or audit_key(), CHECKPOINT_CONTEXT + canonical(payload), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))
