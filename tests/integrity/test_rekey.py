"""An audit log written before the chain was keyed (plain SHA-256) is checked and re-keyed once,
by migration 0003 (integrity/rekey.py); a chain already broken is refused, not laundered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from dxgrant.integrity.chain import GENESIS_HASH, payload_of, plain_sha256
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.rekey import LegacyChainBroken, rekey_plain_chain
from dxgrant.integrity.verification import verify_audit_chain

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def legacy_chain(n: int, *, broken_at: int | None = None) -> None:
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        entry = AuditEntry(
            seq=seq,
            created_at=AT + dt.timedelta(minutes=seq),
            actor_label="system",
            action=f"legacy.{seq}",
            changes={"n": seq},
            prev_hash=prev,
        )
        entry.entry_hash = plain_sha256(payload_of(entry))
        if seq == broken_at:
            entry.changes = {"n": -1}  # changed after it was hashed
        entry.save()
        prev = entry.entry_hash


def test_a_plain_chain_is_rekeyed_and_then_verifies():
    legacy_chain(5)
    assert verify_audit_chain().first_broken_seq == 1  # plain hashes do not pass as keyed ones
    with transaction.atomic():
        assert rekey_plain_chain(AuditEntry, connection) == 5
    report = verify_audit_chain()
    assert report.ok and report.checked == 6
    marker = AuditEntry.objects.get(seq=6)
    assert marker.action == "audit.chain_keyed" and marker.changes["entries"] == 5
    # The triggers are back: the log is append-only again.
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET action = 'x'")
    # Running it again changes nothing.
    with transaction.atomic():
        assert rekey_plain_chain(AuditEntry, connection) == 0


def test_a_broken_plain_chain_is_refused_and_left_as_it_was():
    legacy_chain(4, broken_at=3)
    before = list(AuditEntry.objects.values_list("seq", "entry_hash"))
    with pytest.raises(LegacyChainBroken, match="#3"), transaction.atomic():
        rekey_plain_chain(AuditEntry, connection)
    assert list(AuditEntry.objects.values_list("seq", "entry_hash")) == before


def test_an_empty_log_needs_nothing():
    with transaction.atomic():
        assert rekey_plain_chain(AuditEntry, connection) == 0
