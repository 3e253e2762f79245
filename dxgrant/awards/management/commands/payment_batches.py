from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count

from dxgrant.awards.models import PaymentBatch


class Command(BaseCommand):
    help = "List the payment batches: id, status, transfer date, number of transfers, total yen."

    def handle(self, *args: Any, **options: Any) -> None:
        batches = PaymentBatch.objects.annotate(transfers_made=Count("transfers")).order_by("-pk")
        self.stdout.write(f"{'id':>6}  {'status':<9}  {'date':<10}  {'transfers':>9}  {'total yen':>15}")
        for batch in batches:
            self.stdout.write(
                f"{batch.pk:>6}  {batch.status:<9}  {batch.transfer_date.isoformat():<10}  "
                f"{batch.transfers_made:>9}  {batch.total_yen:>15,}"
            )
