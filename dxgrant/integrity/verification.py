"""Checking the audit log: the keyed chain from the start, and its head against the latest
checkpoint outside the database; and writing a checkpoint once the entries since the last one
have been checked (a checkpoint must never vouch for a chain that was already broken)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from . import checkpoints
from .chain import GENESIS_HASH, audit_key, same
from .checkpoints import Checkpoint, CheckpointInvalid
from .models import AuditEntry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_seq: int | None
    reason: str = ""
    # The checkpoint the head was compared with, or why there was none.
    checkpoint: Checkpoint | None = None
    note: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return not self.reason


class ChainBroken(Exception):
    def __init__(self, report: ChainReport) -> None:
        super().__init__(f"audit chain broken at #{report.first_broken_seq}: {report.reason}")
        self.report = report


def _walk(*, since: Checkpoint | None, compare: Checkpoint | None, batch_size: int) -> ChainReport:
    key = audit_key()
    if since is None:
        expected_seq, expected_prev = 1, GENESIS_HASH
        entries = AuditEntry.objects.order_by("seq")
    else:
        expected_seq, expected_prev = since.seq, ""
        entries = AuditEntry.objects.filter(seq__gte=since.seq).order_by("seq")
    checked = 0
    head_seq, head_hash = (since.seq, since.entry_hash) if since else (0, GENESIS_HASH)
    for entry in entries.iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"entry #{expected_seq} is missing")
        if expected_prev and entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.seq, "link to the previous entry does not match")
        if not same(entry.compute_hash(key), entry.entry_hash):
            return ChainReport(
                checked,
                entry.seq,
                "content does not match its keyed hash (the entry was changed, or the chain was "
                "recomputed without the audit key)",
            )
        for anchor in (since, compare):
            if (
                anchor is not None
                and entry.seq == anchor.seq
                and not same(entry.entry_hash, anchor.entry_hash)
            ):
                return ChainReport(
                    checked,
                    entry.seq,
                    f"entry #{entry.seq} differs from the checkpoint written at {anchor.at.isoformat()}: "
                    "the chain was rewritten",
                )
        expected_prev = entry.entry_hash
        expected_seq += 1
        checked += 1
        head_seq, head_hash = entry.seq, entry.entry_hash
    for anchor in (since, compare):
        if anchor is not None and head_seq < anchor.seq:
            return ChainReport(
                checked,
                head_seq + 1,
                f"the log ends at #{head_seq} but the checkpoint written at {anchor.at.isoformat()} "
                f"records #{anchor.seq}: entries #{head_seq + 1} to #{anchor.seq} were deleted",
            )
    return ChainReport(checked, None, head_seq=head_seq, head_hash=head_hash)


def verify_audit_chain(*, batch_size: int = 2000, checkpoint_file: Path | None = None) -> ChainReport:
    """Walk the chain from the start and report the first entry whose link or keyed hash does not
    hold; then compare with the latest checkpoint (in `checkpoint_file`, else the configured one),
    which finds a deleted tail or a chain recomputed by someone holding the key."""
    path = checkpoint_file or checkpoints.configured_file()
    latest: Checkpoint | None = None
    note = ""
    if path is None:
        note = "no checkpoint file is configured (DXGRANT_AUDIT_CHECKPOINT_FILE): a deleted tail cannot be detected"
    else:
        try:
            latest = checkpoints.latest(path)
        except CheckpointInvalid as exc:
            return ChainReport(0, None, f"{path}: {exc}")
        if latest is None:
            note = f"{path} holds no checkpoint yet: a deleted tail cannot be detected"
    report = _walk(since=None, compare=latest, batch_size=batch_size)
    return ChainReport(
        report.checked,
        report.first_broken_seq,
        report.reason,
        checkpoint=latest,
        note=note,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
    )


def record_checkpoint(*, checkpoint_file: Path | None = None, batch_size: int = 2000) -> Checkpoint | None:
    """Append a signed checkpoint of the head, after checking every entry since the previous
    checkpoint. None when the head has not moved (or the log is empty); ChainBroken, and no
    checkpoint, when the check fails."""
    path = checkpoint_file or checkpoints.configured_file()
    if path is None:
        return None
    previous = checkpoints.latest(path)
    report = _walk(since=previous, compare=None, batch_size=batch_size)
    if not report.ok:
        raise ChainBroken(report)
    if report.head_seq == 0 or (previous is not None and previous.seq == report.head_seq):
        return None
    checkpoint = Checkpoint(seq=report.head_seq, entry_hash=report.head_hash, at=timezone.now())
    checkpoints.append(path, checkpoint)
    return checkpoint
