from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxgrant.demo.accounts import current_code


class Command(BaseCommand):
    help = "Print the current one-time code for a demo account that uses MFA (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        try:
            self.stdout.write(current_code(email))
        except Exception as exc:
            raise CommandError(f"No one-time code for {email}: {exc}") from exc
