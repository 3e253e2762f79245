from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxgrant.programs.services.loading import DefinitionError, load_programme_file


class Command(BaseCommand):
    help = "Load or update a programme definition file (TOML). Idempotent; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            result = load_programme_file(file, actor=None)
        except DefinitionError as exc:
            lines = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(f"{file}: not loaded; nothing was changed.\n{lines}") from exc
        if not result.changed:
            self.stdout.write(f"{result.programme.code}: unchanged")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.programme.code}: loaded (rounds created: "
                f"{', '.join(result.rounds_created) or '-'}; updated: "
                f"{', '.join(result.rounds_updated) or '-'})"
            )
        )
