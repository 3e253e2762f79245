"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint is one JSON line `{"seq", "hash", "at", "signature"}` appended to the file named by
`DXGRANT_AUDIT_CHECKPOINT_FILE`; the signature is an HMAC with the audit key (chain.py). Whoever
deletes the last entries of the log, or rewrites the chain, cannot make the head agree with the
latest checkpoint again without the key, and the file is not in the database they can write.
Ship the file off the machine too (docs/operations.md): a copy elsewhere is what survives an
intruder who also holds the server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .chain import checkpoint_signature, same


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    entry_hash: str
    at: dt.datetime

    def payload(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.entry_hash, "at": self.at.isoformat()}

    def line(self) -> str:
        signed = self.payload() | {"signature": checkpoint_signature(self.payload())}
        return json.dumps(signed, sort_keys=True, separators=(",", ":")) + "\n"


class CheckpointInvalid(Exception):
    """A line of the checkpoint file is unreadable, or its signature does not hold."""


def configured_file() -> Path | None:
    value = getattr(settings, "DXGRANT_AUDIT_CHECKPOINT_FILE", None)
    return Path(value) if value else None


def parse(line: str, number: int) -> Checkpoint:
    try:
        data = json.loads(line)
        checkpoint = Checkpoint(
            seq=int(data["seq"]), entry_hash=str(data["hash"]), at=dt.datetime.fromisoformat(data["at"])
        )
        signature = str(data["signature"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointInvalid(f"checkpoint line {number} is unreadable ({exc})") from exc
    if not same(checkpoint_signature(checkpoint.payload()), signature):
        raise CheckpointInvalid(f"checkpoint line {number} has an invalid signature")
    return checkpoint


def read_all(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; CheckpointInvalid for a bad line or a head that
    goes backwards."""
    if not path.exists():
        return []
    checkpoints: list[Checkpoint] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            checkpoint = parse(line, number)
            if checkpoints and checkpoint.seq < checkpoints[-1].seq:
                raise CheckpointInvalid(
                    f"checkpoint line {number} records #{checkpoint.seq}, "
                    f"before the #{checkpoints[-1].seq} of an earlier line"
                )
            checkpoints.append(checkpoint)
    return checkpoints


def latest(path: Path) -> Checkpoint | None:
    checkpoints = read_all(path)
    return checkpoints[-1] if checkpoints else None


def append(path: Path, checkpoint: Checkpoint) -> None:
    """Add a line and flush it to disk. O_APPEND keeps concurrent writers' lines whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, checkpoint.line().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
