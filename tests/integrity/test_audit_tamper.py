"""What an intruder holding the application's database account can do to the audit log, and what
`dxgrant verify-audit` says afterwards (issue 9, item 24).

The application's own database user could drop the append-only trigger; with it gone, deleting the
last entries, or rewriting one and recomputing plain SHA-256 hashes after it, was reported as
"Audit chain intact". The chain is now keyed with a secret outside the database and its head is
checkpointed to a file outside it.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from dxgrant.integrity.models import GENESIS_HASH, AuditEntry
from dxgrant.integrity.services import audit_record

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.DXGRANT_AUDIT_CHECKPOINT_FILE = str(path)
    return path


@transaction.atomic
def write(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action=f"test.{i}", changes={"i": i, "名前": "山田"})


def drop_trigger() -> None:
    """What the issue did: the application's database user drops the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {TABLE}_no_update")
            cursor.execute(f"DROP TRIGGER {TABLE}_no_delete")
        else:
            cursor.execute(f"DROP TRIGGER {TABLE}_append_only ON {TABLE}")


def rewrite_and_recompute(seq: int, changes: dict, digest) -> None:  # type: ignore[no-untyped-def]
    """Change entry `seq` and recompute every hash from it on with `digest(canonical) -> hex`,
    following the documented payload, as someone reading the code would."""
    entries = {e.seq: e for e in AuditEntry.objects.order_by("seq")}
    prev = entries[seq - 1].entry_hash if seq > 1 else GENESIS_HASH
    with connection.cursor() as cursor:
        for n in sorted(s for s in entries if s >= seq):
            entry = entries[n]
            if n == seq:
                entry.changes = changes
            entry.prev_hash = prev
            canonical = json.dumps(
                entry.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
            ).encode("utf-8")
            new_hash = digest(canonical)
            cursor.execute(
                f"UPDATE {TABLE} SET changes = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",
                [json.dumps(entry.changes, ensure_ascii=False), prev, new_hash, entry.pk],
            )
            prev = new_hash


def test_deleting_the_last_15_entries_is_detected_against_the_checkpoint(checkpoint_file, capsys):
    write(40)
    call_command("checkpoint_audit")
    call_command("verify_audit")
    assert "agrees with the checkpoint" in capsys.readouterr().out
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq > 25")
    assert AuditEntry.objects.count() == 25
    with pytest.raises(CommandError, match=r"#26: the log ends at #25 but the checkpoint .* records #40"):
        call_command("verify_audit")


def test_rewriting_an_entry_and_recomputing_plain_sha256_hashes_is_detected():
    write(10)
    drop_trigger()
    rewrite_and_recompute(4, {"i": 99}, lambda data: hashlib.sha256(data).hexdigest())
    with pytest.raises(CommandError, match=r"broken at entry #4: content does not match its keyed hash"):
        call_command("verify_audit")


def test_a_chain_recomputed_even_with_the_key_disagrees_with_the_checkpoint(settings, checkpoint_file):
    """Someone who also stole the key, but not the checkpoint file, still cannot hide a change."""
    write(10)
    call_command("checkpoint_audit")
    drop_trigger()
    key = settings.DXGRANT_AUDIT_KEY.encode()
    rewrite_and_recompute(
        4,
        {"i": 99},
        lambda data: hmac.new(key, b"dxgrant-audit-entry\x00" + data, hashlib.sha256).hexdigest(),
    )
    with pytest.raises(CommandError, match=r"#10 differs from the checkpoint"):
        call_command("verify_audit")


def test_a_forged_checkpoint_line_is_refused(checkpoint_file):
    write(3)
    call_command("checkpoint_audit")
    line = json.loads(checkpoint_file.read_text())
    forged = line | {"seq": 2, "hash": AuditEntry.objects.get(seq=2).entry_hash}
    checkpoint_file.write_text(json.dumps(forged) + "\n")
    with pytest.raises(CommandError, match="invalid signature"):
        call_command("verify_audit")


def test_a_checkpoint_is_not_written_for_a_chain_already_broken(checkpoint_file):
    write(5)
    call_command("checkpoint_audit")
    write(5)
    drop_trigger()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'forged' WHERE seq = 7")
    with pytest.raises(CommandError, match=r"No checkpoint written: .*#7"):
        call_command("checkpoint_audit")
    assert len(checkpoint_file.read_text().splitlines()) == 1


def test_a_checkpoint_is_written_every_n_entries(
    settings, checkpoint_file, django_capture_on_commit_callbacks
):
    settings.DXGRANT_AUDIT_CHECKPOINT_EVERY = 5
    for _ in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            write(1)
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [5, 10]
    assert lines[1]["hash"] == AuditEntry.objects.get(seq=10).entry_hash


def test_without_a_checkpoint_the_command_says_a_deleted_tail_would_go_unseen(capsys):
    write(2)
    call_command("verify_audit")
    assert "a deleted tail cannot be detected" in capsys.readouterr().err
    with pytest.raises(CommandError, match="not compared with a checkpoint"):
        call_command("verify_audit", require_checkpoint=True)


def test_the_checkpoint_command_does_nothing_when_the_head_has_not_moved(checkpoint_file, capsys):
    write(2)
    call_command("checkpoint_audit")
    call_command("checkpoint_audit")
    assert "nothing written" in capsys.readouterr().out
    assert len(checkpoint_file.read_text().splitlines()) == 1
