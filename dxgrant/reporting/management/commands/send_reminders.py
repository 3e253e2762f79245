from typing import Any

from django.core.management.base import BaseCommand

from dxgrant.reporting.services import reminders


class Command(BaseCommand):
    help = (
        "Queue today's reminders of due dates (acceptance, payee account) and their escalations; "
        "the task worker sends them. Idempotent: run it daily on a timer, or more often."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reminders.send_due_reminders()
        self.stdout.write(
            f"{summary.today.isoformat()}: {summary.open_items} open items, "
            f"{summary.new_steps} new reminders, {summary.queued} queued"
        )
