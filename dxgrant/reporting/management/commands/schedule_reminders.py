from typing import Any

from django.core.management.base import BaseCommand

from dxgrant.reporting import schedule


class Command(BaseCommand):
    help = (
        "Make sure the daily reminder run is queued for the task worker: today's now if today has "
        "not run and it is past 08:00, else the next 08:00. Idempotent: run it at every start of "
        "the worker."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = schedule.ensure_scheduled()
        when = "done" if run.started_at else run.scheduled_for.isoformat()
        self.stdout.write(f"reminders: run of {run.run_on.isoformat()} {when}")
