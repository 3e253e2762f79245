from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dxgrant.awards.models import PaymentBatch
from dxgrant.awards.services import batches


class Command(BaseCommand):
    help = (
        "Write an approved payment batch as a 全銀 総合振込 file (120-byte Shift_JIS records, CRLF). "
        "The export is in the audit log, as the system."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", type=int, required=True, help="The batch's id (see `dxgrant payment-batches`)."
        )
        parser.add_argument("--output", type=Path, required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = PaymentBatch.objects.filter(pk=options["batch"]).first()
        if batch is None:
            raise CommandError(f"No payment batch {options['batch']}.")
        try:
            content = batches.export_batch(actor=None, batch=batch)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        output: Path = options["output"]
        output.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {len(content):,} bytes, {batch.transfer_count} transfers, "
                f"{batch.total_yen:,} yen, transfer date {batch.transfer_date.isoformat()}."
            )
        )
