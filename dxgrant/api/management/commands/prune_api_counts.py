import time
from typing import Any

from django.core.management.base import BaseCommand

from dxgrant.api.limits import prune_idle_counts


class Command(BaseCommand):
    help = (
        "Remove the API rate limit's counts of client addresses idle for an hour. "
        "Run it on a timer (docs/operations.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = prune_idle_counts(time.time())
        self.stdout.write(f"Removed {removed} idle client counts.")
