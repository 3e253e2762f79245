"""`dxgrant signing-cert`: create a self-signed certificate and key for signing notices at the
configured paths (DXGRANT_SIGNING_CERT, DXGRANT_SIGNING_KEY; var/ by default) unless both exist.
For the demo and development (`make run`, `make dev`); production installs the operator's own."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from dxgrant.awards import signing


class Command(BaseCommand):
    help = "Create a self-signed notice-signing certificate and key where settings point, if absent."

    def handle(self, *args: Any, **options: Any) -> None:
        cert, key = Path(settings.DXGRANT_SIGNING_CERT), Path(settings.DXGRANT_SIGNING_KEY)
        if signing.ensure_self_signed(cert, key):
            self.stdout.write(f"Created a self-signed notice-signing certificate: {cert} (key {key}).")
