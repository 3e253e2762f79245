from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dxgrant.accounts.encryption import UnreadableSecret
from dxgrant.accounts.services.mfa_keys import rotate_stored_secrets


class Command(BaseCommand):
    help = "Re-encrypt every stored authenticator secret with the first key of DXGRANT_MFA_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = rotate_stored_secrets()
        except UnreadableSecret as exc:
            raise CommandError(f"{exc}: nothing was changed. Keep every old key in the list.") from exc
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the secrets of {count} authenticators."))
