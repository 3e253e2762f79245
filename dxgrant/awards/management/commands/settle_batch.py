from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from dxgrant.accounts.models import User
from dxgrant.awards.models import PaymentBatch
from dxgrant.awards.services import settlement


class Command(BaseCommand):
    help = (
        "Settle an exported payment batch whose transfers all have their results, as a finance user: "
        "the same act as the batch page's button, for batches too large to settle within a web "
        "request (5 to 10 ms a transfer: see docs/benchmarks.md)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", type=int, required=True, help="The batch's id (see `dxgrant payment-batches`)."
        )
        parser.add_argument("--user", required=True, help="The email of the finance user settling it.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = PaymentBatch.objects.filter(pk=options["batch"]).first()
        if batch is None:
            raise CommandError(f"No payment batch {options['batch']}.")
        actor = User.objects.filter(email__iexact=options["user"]).first()
        if actor is None:
            raise CommandError(f"No user {options['user']}.")
        try:
            settled = settlement.settle_batch(actor=actor, batch=batch)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Settled batch {settled.pk}: {settled.transfer_count} transfers, {settled.total_yen:,} yen."
            )
        )
