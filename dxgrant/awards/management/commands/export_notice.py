"""`dxgrant export-notice <number> --output FILE`: a notice's signed PDF, exactly as issued, for
staff who must send it by post."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dxgrant.awards.models import Notice


class Command(BaseCommand):
    help = "Write a notice's signed PDF (exactly as issued) to a file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("number", help="The notice number, e.g. DXN-2026-000123.")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        notice = Notice.objects.filter(number=options["number"]).first()
        if notice is None:
            raise CommandError(f"No notice has the number {options['number']}.")
        with notice.pdf.open("rb") as pdf:
            data = pdf.read()
        Path(options["output"]).write_bytes(data)
        cancelled = " (CANCELLED)" if notice.status == "cancelled" else ""
        self.stdout.write(
            f"{notice.number}{cancelled}: {len(data):,} bytes, sha256 {notice.sha256} -> {options['output']}"
        )
