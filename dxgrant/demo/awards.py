"""The demo's awards after the decision, written through the services the pages use.

In the decided demo round: three awards notified (their notices issued, signed), two of them
accepted by their applicants with a code from the authenticator app and with a payee account in
the company's own name, the third waiting for its applicant's acceptance (try it); finance@
prepared a payment batch of the instalments due and finance2@ approved it, so the 全銀 file can be
exported from the finance page or with `dxgrant export-transfers --batch <id>`.

Each notice takes about a second to render and sign: only these three are issued (the secretariat
issues the rest with the button on /staff/awards/<code>/notices/).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from dxgrant.accounts.models import StepUpPurpose, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import PaymentBatch
from dxgrant.awards.services import acceptance, batches, codes, issuing, payee
from dxgrant.decisions import figures
from dxgrant.decisions.models import Decision
from dxgrant.japan.business_days import add_business_days
from dxgrant.programs.models import Round

from . import clock
from .accounts import DEMO_DOMAIN, SECOND_FINANCE, account, code_now, demo_user, enrol_demo_totp

NOTIFIED_DAYS_AGO = 28
ACCEPTED_DAYS_AGO = 25
# The award left to accept was notified lately, so most of its acceptance period remains.
WAITING_NOTIFIED_DAYS_AGO = 2
# Banks take a transfer file a few business days ahead.
TRANSFER_BUSINESS_DAYS_AHEAD = 3
# Payee accounts at みずほ銀行 東京営業部 (0001-001), 普通, one number per company.
PAYEE_BANK, PAYEE_BRANCH, PAYEE_TYPE = "0001", "001", "1"


def awarded_applications(round_obj: Round, first: Application) -> list[Application]:
    """The demo applicant's award (`first`), then the next two awards by rank."""
    others = (
        Decision.objects.filter(round_decision__round=round_obj, outcome=figures.AWARDED)
        .exclude(application=first)
        .select_related("application")
        .order_by("rank")[:2]
    )
    return [first, *(decision.application for decision in others)]


def issue(application: Application, secretariat: User) -> None:
    issuing.issue_notice(actor=secretariat, decision_id=Decision.objects.get(application=application).pk)


def _applicant(application: Application) -> User:
    return application.engagement.members.get().user


def holder_for(application: Application) -> str:
    """The holder as the passbook prints a 株式会社's account: カ）and the company's kana."""
    return f"カ）{application.company_name_kana}"


def accept_with_account(application: Application, number: str) -> None:
    """The applicant registers the company's account, then accepts the conditions with a code."""
    person = _applicant(application)
    enrol_demo_totp(person)
    payee.register_payee(
        application=application,
        actor=person,
        details=payee.AccountDetails(PAYEE_BANK, PAYEE_BRANCH, PAYEE_TYPE, number, holder_for(application)),
    )
    check = codes.verify_code(
        user=person, code=code_now(person), application=application, purpose=StepUpPurpose.ACCEPTANCE
    )
    if not check:
        raise ValidationError(check.refusal)
    acceptance.accept_conditions(application=application, actor=person, step_up=check.attempt)


def seed_awards(round_obj: Round, *, first: Application, today: dt.date, secretariat: User) -> PaymentBatch:
    """Notices, acceptances, payee accounts and an approved batch for the decided demo round
    (its caller seeds the round once). `first` is the demo applicant's award."""
    yamada, second, waiting = awarded_applications(round_obj, first)
    with clock.as_of(today - dt.timedelta(days=NOTIFIED_DAYS_AGO)):
        issue(yamada, secretariat)
        issue(second, secretariat)
    with clock.as_of(today - dt.timedelta(days=ACCEPTED_DAYS_AGO)):
        accept_with_account(yamada, "1234567")
        accept_with_account(second, "7654321")
    with clock.as_of(today - dt.timedelta(days=WAITING_NOTIFIED_DAYS_AGO)):
        issue(waiting, secretariat)
    # The batch is today's, for a transfer date ahead, so the file exported is one a bank takes.
    preparer = account(f"finance@{DEMO_DOMAIN}")
    approver = demo_user(SECOND_FINANCE.email, SECOND_FINANCE.role, SECOND_FINANCE.name)
    batch = batches.prepare_batch(
        actor=preparer, transfer_date=add_business_days(timezone.localdate(), TRANSFER_BUSINESS_DAYS_AHEAD)
    )
    return batches.approve_batch(actor=approver, batch=batch)


def waiting_for_acceptance() -> list[str]:
    """The accounts of the decided demo round's applicants whose award waits for acceptance."""
    return list(
        User.objects.filter(
            engagement_memberships__engagement__application__round__is_demo=True,
            engagement_memberships__engagement__application__status=workflow.NOTIFIED,
        )
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
