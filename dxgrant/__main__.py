"""`dxgrant <command>`: the project's command line (Django's manage.py under our own name)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxgrant.config.settings.dev")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `dxgrant load-programme` reads better than load_programme; Django wants module names.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
