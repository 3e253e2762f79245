from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dxgrant.integrity import checkpoints
from dxgrant.integrity.checkpoints import CheckpointInvalid
from dxgrant.integrity.verification import ChainBroken, record_checkpoint


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain's head to DXGRANT_AUDIT_CHECKPOINT_FILE, "
        "after checking the entries since the previous one. Run it on a timer (docs/operations.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = checkpoints.configured_file()
        if path is None:
            raise CommandError("DXGRANT_AUDIT_CHECKPOINT_FILE is not set: there is nowhere to write.")
        try:
            checkpoint = record_checkpoint(checkpoint_file=path)
        except (ChainBroken, CheckpointInvalid) as exc:
            raise CommandError(f"No checkpoint written: {exc}. Run `dxgrant verify-audit`.") from exc
        if checkpoint is None:
            self.stdout.write("The head has not moved since the last checkpoint; nothing written.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Checkpoint #{checkpoint.seq} {checkpoint.entry_hash} written to {path}.")
            )
