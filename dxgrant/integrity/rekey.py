"""Moving a chain hashed with plain SHA-256 (before the chain was keyed) to the keyed hash.

Run once by migration 0003 as the database owner (the only role that may set the append-only
triggers aside). Every entry is checked against its old plain hash first: a chain that was
already broken is refused, never laundered into a keyed one. An entry `audit.chain_keyed`
records how many entries were re-keyed and the old head.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from .chain import GENESIS_HASH, audit_key, entry_mac, payload_of, plain_sha256, same

TABLE = "integrity_auditentry"
BATCH = 1000
# Table and columns are constants of ours; the values go as parameters.
REHASH = f"UPDATE {TABLE} SET prev_hash = %s, entry_hash = %s WHERE id = %s"  # noqa: S608


class LegacyChainBroken(RuntimeError):
    pass


def _set_triggers(connection: BaseDatabaseWrapper, *, enabled: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks of this transaction are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            state = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE {TABLE} {state} TRIGGER {TABLE}_append_only")
        elif connection.vendor == "sqlite":
            if enabled:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
                    f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
                )
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")


def rekey_plain_chain(model: Any, connection: BaseDatabaseWrapper) -> int:
    """Re-hash every entry of a plain SHA-256 chain with the audit key, inside the caller's
    transaction; the number of entries re-keyed (0 when the chain is empty or already keyed).
    LegacyChainBroken when the old chain does not verify: nothing is changed."""
    first = model.objects.order_by("seq").first()
    if first is None:
        return 0
    key = audit_key()
    if same(entry_mac(payload_of(first), key), first.entry_hash):
        return 0
    old_prev, new_prev, expected_seq, count = GENESIS_HASH, GENESIS_HASH, 1, 0
    pending: list[tuple[str, str, int]] = []
    _set_triggers(connection, enabled=False)
    try:
        with connection.cursor() as cursor:
            for entry in model.objects.order_by("seq").iterator(chunk_size=BATCH):
                if entry.seq != expected_seq or entry.prev_hash != old_prev:
                    raise LegacyChainBroken(f"the audit chain is broken at entry #{expected_seq}")
                if not same(plain_sha256(payload_of(entry)), entry.entry_hash):
                    raise LegacyChainBroken(f"audit entry #{entry.seq} does not match its hash")
                old_prev = entry.entry_hash
                entry.prev_hash = new_prev
                new_prev = entry_mac(payload_of(entry), key)
                pending.append((entry.prev_hash, new_prev, entry.pk))
                expected_seq += 1
                count += 1
                if len(pending) >= BATCH:
                    cursor.executemany(REHASH, pending)
                    pending.clear()
            if pending:
                cursor.executemany(REHASH, pending)
    finally:
        _set_triggers(connection, enabled=True)
    marker = model(
        seq=expected_seq,
        created_at=timezone.now(),
        actor=None,
        actor_label="system",
        action="audit.chain_keyed",
        object_type="",
        object_id="",
        changes={"entries": count, "plain_head_hash": old_prev},
        ip_address=None,
        prev_hash=new_prev,
    )
    marker.entry_hash = entry_mac(payload_of(marker), key)
    marker.save()
    return count
