from typing import Any

from django.core.management.base import BaseCommand

from dxgrant.accounts.demo import DEMO_PASSWORD, DEMO_ROUND_CODE, seed_demo


class Command(BaseCommand):
    help = "Load the programme and the demo round and accounts (development only). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_demo()
        self.stdout.write(f"Demo round '{DEMO_ROUND_CODE}' is open for applications today.")
        self.stdout.write("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
        for account in accounts:
            mfa = "  (MFA: dxgrant demo-otp %s)" % account.email if account.role in {
                "reviewer", "secretariat", "finance", "auditor"
            } else ""
            self.stdout.write(f"  {account.role:<12} {account.email}{mfa}")
