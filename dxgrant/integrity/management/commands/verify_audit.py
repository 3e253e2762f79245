from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dxgrant.integrity.verification import verify_audit_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain, and its head against the latest checkpoint "
        "outside the database; report the first broken link."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--require-checkpoint",
            action="store_true",
            help="Fail when there is no checkpoint to compare with (a deleted tail would go unseen).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_audit_chain()
        if not report.ok:
            where = f" at entry #{report.first_broken_seq}" if report.first_broken_seq else ""
            raise CommandError(
                f"Audit chain broken{where}: {report.reason} ({report.checked} entries verified before it)."
            )
        if report.note:
            if options["require_checkpoint"]:
                raise CommandError(f"Audit chain not compared with a checkpoint: {report.note}.")
            self.stderr.write(self.style.WARNING(f"Warning: {report.note}."))
        message = f"Audit chain intact: {report.checked} entries."
        if report.checkpoint is not None:
            message += (
                f" The head agrees with the checkpoint of {report.checkpoint.at.isoformat()} "
                f"(#{report.checkpoint.seq})."
            )
        self.stdout.write(self.style.SUCCESS(message))
