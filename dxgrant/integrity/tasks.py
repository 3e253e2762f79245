"""Background work of the audit log: a checkpoint of the chain's head, every
DXGRANT_AUDIT_CHECKPOINT_EVERY entries (services.audit_record enqueues it) and on a timer
(`dxgrant checkpoint-audit`, see docs/operations.md)."""

from __future__ import annotations

import logging

from django_tasks import task

from .verification import ChainBroken, record_checkpoint

logger = logging.getLogger("dxgrant.audit")


@task()
def write_checkpoint() -> None:
    try:
        checkpoint = record_checkpoint()
    except ChainBroken as exc:
        # Never sign a broken chain; say so loudly, the operator runs `dxgrant verify-audit`.
        logger.error("audit checkpoint refused: %s", exc)
        raise
    if checkpoint is not None:
        logger.info("audit checkpoint #%s %s", checkpoint.seq, checkpoint.entry_hash)
