from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand

from dxgrant.accounts.roles import MFA_REQUIRED_ROLES
from dxgrant.awards.models import BatchStatus, PaymentBatch
from dxgrant.demo.accounts import DEMO_PASSWORD
from dxgrant.demo.awards import waiting_for_acceptance
from dxgrant.demo.past_round import PAST_APPLICANT, PAST_ROUND_CODE
from dxgrant.demo.review import DECIDED_ROUND_CODE
from dxgrant.demo.seed import DEMO_ROUND_CODE, seed_demo


class Command(BaseCommand):
    help = "Load the programme, the demo round, demo accounts and demo data (development only). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--without-review",
            action="store_true",
            help="Leave out the review (the open round's draw and the past round that was decided): "
            "a quicker seed for tests.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_demo(review=not options["without_review"])
        self.stdout.write(f"Demo round '{DEMO_ROUND_CODE}' is open for applications today.")
        if not options["without_review"]:
            self.stdout.write(
                f"Demo round '{DECIDED_ROUND_CODE}' has been reviewed, decided and published: "
                f"/rounds/{DECIDED_ROUND_CODE}/results/"
            )
            batch = PaymentBatch.objects.filter(status=BatchStatus.APPROVED).order_by("pk").first()
            if batch is not None:
                self.stdout.write(
                    f"Payment batch {batch.pk} (approved, {batch.transfer_count} transfers, "
                    f"{batch.total_yen:,} yen): /staff/awards/payments/{batch.pk}/ or "
                    f".venv/bin/dxgrant export-transfers --batch {batch.pk} --output transfers.txt"
                )
            self.stdout.write(
                f"Demo round '{PAST_ROUND_CODE}' was granted years ago: support reports, a plan change, "
                f"the results report, the final amount and three KPI years: sign in as {PAST_APPLICANT.email}; "
                "the cohort on /staff/kpi/, the survey on /staff/surveys/, the dashboard on /staff/dashboard/"
            )
            for email in waiting_for_acceptance():
                self.stdout.write(f"An award notified and not yet accepted: sign in as {email} to accept it.")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        # The applicant has an authenticator too once they accepted the past round's award.
        enrolled = set(
            Authenticator.objects.filter(
                user__email__in=[a.email for a in accounts], type=Authenticator.Type.TOTP
            ).values_list("user__email", flat=True)
        )
        for account in accounts:
            mfa = f"  (one-time code: .venv/bin/dxgrant demo-otp {account.email})"
            asks = account.role in MFA_REQUIRED_ROLES or account.email in enrolled
            self.stdout.write(f"  {account.role:<12} {account.email}{mfa if asks else ''}")
