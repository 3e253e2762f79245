from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from dxgrant.accounts.models import User
from dxgrant.awards.models import PaymentBatch
from dxgrant.awards.services import settlement


class Command(BaseCommand):
    help = (
        "Import the bank's result file of an exported payment batch (the 総合振込 file returned with "
        "a result code in byte 114 of each data record), as a finance user. Does not settle."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", type=int, required=True, help="The batch's id (see `dxgrant payment-batches`)."
        )
        parser.add_argument("--input", type=Path, required=True, help="The bank's result file.")
        parser.add_argument("--user", required=True, help="The email of the finance user importing it.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = PaymentBatch.objects.filter(pk=options["batch"]).first()
        if batch is None:
            raise CommandError(f"No payment batch {options['batch']}.")
        actor = User.objects.filter(email__iexact=options["user"]).first()
        if actor is None:
            raise CommandError(f"No user {options['user']}.")
        path = Path(options["input"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            summary = settlement.import_results(actor=actor, batch=batch, content=content, filename=path.name)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} into batch {batch.pk}: {summary.ok} transferred, {summary.failed} failed, "
                f"{summary.unprocessed} not processed, {summary.changed} results changed. Not settled."
            )
        )
