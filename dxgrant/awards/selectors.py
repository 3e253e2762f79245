"""Reads of the records that follow a decision, filtered by who may see them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Visitor
from dxgrant.applications.models import Application
from dxgrant.applications.policies import get_application_for
from dxgrant.core.pagination import KeysetPage, keyset_page
from dxgrant.decisions.models import Decision, RoundDecision
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Round

from . import payee_rules, policies, repayment_rules
from .models import (
    AccountType,
    Instalment,
    InstalmentStatus,
    Notice,
    NoticeKind,
    NoticeRun,
    PayeeAccount,
    PaymentBatch,
    RepaymentDemand,
    Transfer,
)

# --- notices ---


def public_notice(number: str) -> Notice:
    """A notice by its number, for anyone (what the verification page prints); 404 if unknown."""
    notice = Notice.objects.filter(number=number).first()
    if notice is None:
        raise Http404(number)
    return notice


def public_company_name(notice: Notice) -> str | None:
    """The company is named for award notices only (as the published results name it)."""
    return notice.company_name if notice.kind == NoticeKind.AWARD else None


@dataclass(frozen=True)
class Verification:
    """Whether some bytes are exactly an issued notice, which one, and why not."""

    valid: bool
    notice: Notice | None
    reason: str | Promise


def verify_pdf(data: bytes, *, expected: str | None = None) -> Verification:
    """Compare the SHA-256 of the bytes with the issued notices'. `expected`: the number the
    visitor is checking (the verification page's), when another notice's file is no match.
    A cancelled notice's exact file is not valid."""
    if not data:
        return Verification(False, None, _("ファイルが空です。通知書のPDFを選んでください。"))
    if not data.startswith(b"%PDF"):
        return Verification(False, None, _("PDFファイルではありません。通知書のPDFを選んでください。"))
    digest = hashlib.sha256(data).hexdigest()
    notice = Notice.objects.filter(sha256=digest).first()
    if notice is None:
        return Verification(
            False,
            None,
            _(
                "発行した通知書のいずれとも一致しません。"
                "ファイルが1バイトでも変更されていると一致しません（改ざん、または別のファイルです）。"
            ),
        )
    if expected is not None and notice.number != expected:
        return Verification(
            False, notice, _("別の通知書（%(number)s）のファイルです。") % {"number": notice.number}
        )
    if notice.status != "valid":
        return Verification(False, notice, _("発行した通知書と同一ですが、この通知書は取り消されています。"))
    return Verification(True, notice, _("発行した通知書と同一のファイルです。"))


def notice_for(user: Visitor, application_pk: int) -> Notice:
    """The application's notice for the people who may see the application (its applicant
    company and advisor firm, and staff readers); 404 for missing and forbidden alike."""
    application = get_application_for(user, application_pk)
    notice = Notice.objects.select_related("application__round").filter(application=application).first()
    if notice is None:
        raise Http404("notice")
    return notice


def notice_numbers(decisions: QuerySet[Decision] | list[Decision]) -> dict[int, str]:
    """{decision id: notice number} for those with a notice."""
    return dict(Notice.objects.filter(decision__in=decisions).values_list("decision_id", "number"))


# Issuing one notice takes seconds; a job silent for this long is not working any more.
STALLED_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class IssuingProgress:
    round: Round
    round_decision: RoundDecision | None
    total: int
    issued: int
    awards: int
    rejections: int
    cancelled: int
    last_run: NoticeRun | None

    @property
    def unfinished(self) -> bool:
        return self.last_run is not None and self.last_run.finished_at is None and self.issued < self.total

    @property
    def last_progress(self) -> dt.datetime | None:
        """When the last run last moved (started or issued a notice), else when it was asked for."""
        if self.last_run is None:
            return None
        return self.last_run.progressed_at or self.last_run.requested_at

    @property
    def stalled(self) -> bool:
        """The job has not moved for STALLED_AFTER: its worker died (or none is running).
        Pressing the button again issues only the missing notices."""
        last = self.last_progress
        return self.unfinished and last is not None and last < timezone.now() - STALLED_AFTER

    @property
    def running(self) -> bool:
        return self.unfinished and not self.stalled

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.issued == self.total

    @property
    def percent(self) -> int:
        return 100 * self.issued // self.total if self.total else 0


def issuing_progress(round_obj: Round) -> IssuingProgress:
    """The staff page's facts: the round's decisions, the notices issued, the last run."""
    round_decision = RoundDecision.objects.filter(round=round_obj).first()
    total = round_decision.entries.count() if round_decision else 0
    counts = Notice.objects.filter(application__round=round_obj).aggregate(
        issued=Count("pk"),
        awards=Count("pk", filter=Q(kind=NoticeKind.AWARD)),
        rejections=Count("pk", filter=Q(kind=NoticeKind.REJECTION)),
        cancelled=Count("pk", filter=Q(status="cancelled")),
    )
    last_run = NoticeRun.objects.filter(round=round_obj).select_related("requested_by").first()
    return IssuingProgress(round_obj, round_decision, total, last_run=last_run, **counts)


def round_notices(round_obj: Round) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(application__round=round_obj)
        .select_related("decision")
        .order_by("decision__rank")
    )


# --- end notices ---


# --- payments ---

BATCHES_PER_PAGE = 50


def get_batch_for(user: Visitor, pk: int) -> PaymentBatch:
    """The batch with its people, if `user` may see it; 404 for missing and forbidden alike."""
    batch = (
        policies.batches_visible_to(user).select_related("prepared_by", "approved_by").filter(pk=pk).first()
    )
    if batch is None:
        raise Http404("batch")
    return batch


def batch_page(user: Visitor, cursor: str | None) -> KeysetPage[PaymentBatch]:
    return keyset_page(
        policies.batches_visible_to(user).select_related("prepared_by", "approved_by"),
        cursor=cursor,
        size=BATCHES_PER_PAGE,
    )


def transfers_of(batch: PaymentBatch) -> QuerySet[Transfer]:
    return batch.transfers.select_related("instalment__application").order_by("pk")


def due_instalments() -> list[Instalment]:
    return list(
        Instalment.objects.filter(status=InstalmentStatus.DUE).select_related("application").order_by("pk")
    )


def instalment_totals() -> dict[str, dict[str, int]]:
    """Number and yen of instalments by status, for the list page's summary."""
    rows = Instalment.objects.values("status").annotate(count=Count("pk"), yen=Sum("amount_yen"))
    return {row["status"]: {"count": row["count"], "yen": row["yen"] or 0} for row in rows}


# --- payee ---


def current_payee(application: Application) -> PayeeAccount | None:
    """The application's current payee account, or None when none is registered."""
    return PayeeAccount.objects.filter(application=application, is_current=True).first()


def current_payees(application_ids: Iterable[int]) -> dict[int, PayeeAccount]:
    """The current payee account of each application that has one, by application id (one query)."""
    accounts = PayeeAccount.objects.filter(application_id__in=list(application_ids), is_current=True)
    return {account.application_id: account for account in accounts}


def payee_ready_for_payment(account: PayeeAccount) -> bool:
    """True when a transfer may be made to this account: it is the application's current one, its
    holder matched the company (or the secretariat overrode the mismatch with a reason), and a change
    made after acceptance has been acknowledged by the secretariat."""
    if not account.is_current:
        return False
    if not account.holder_matches and not account.override_reason:
        return False
    return account.acknowledged


def changes_awaiting_acknowledgement() -> QuerySet[PayeeAccount]:
    """Current accounts changed after acceptance that the secretariat has not acknowledged yet,
    oldest first, with their application and round (the staff list; one query)."""
    return (
        PayeeAccount.objects.filter(is_current=True, needs_acknowledgement=True, acknowledged_at__isnull=True)
        .select_related("application", "application__round", "created_by")
        .order_by("created_at", "id")
    )


def previous_payee(account: PayeeAccount) -> PayeeAccount | None:
    """The account this one replaced, if any."""
    return (
        PayeeAccount.objects.filter(
            application_id=account.application_id, is_current=False, created_at__lte=account.created_at
        )
        .exclude(pk=account.pk)
        .order_by("-created_at", "-id")
        .first()
    )


# --- acceptance ---


@dataclass(frozen=True)
class AcceptancePeriod:
    """When the application was notified (Asia/Tokyo) and the last day to accept; None when the
    notification is not on record."""

    notified_on: dt.date | None
    last_day: dt.date | None

    def open_on(self, day: dt.date) -> bool:
        return self.last_day is not None and day <= self.last_day


def acceptance_period(application: Application) -> AcceptancePeriod:
    """From the application's `notify` transition (its audit entry, written by the workflow
    service) and the round's `acceptance_days`."""
    notified_at = (
        AuditEntry.objects.filter(
            action="application.notify",
            object_type=Application._meta.label_lower,
            object_id=str(application.pk),
        )
        .order_by("-seq")
        .values_list("created_at", flat=True)
        .first()
    )
    if notified_at is None:
        return AcceptancePeriod(None, None)
    notified_on = timezone.localdate(notified_at)
    days = application.round.rules.awards.acceptance_days
    return AcceptancePeriod(notified_on, payee_rules.acceptance_last_day(notified_on, days))


# --- cancellation ---


def figures_of(
    demand: RepaymentDemand, payments: Iterable[repayment_rules.Payment], as_of: dt.date
) -> repayment_rules.Position:
    """The demand's principal, repaid, late charge and balance on `as_of` (repayment_rules)."""
    return repayment_rules.position(
        principal_yen=demand.principal_yen,
        due_on=demand.due_on,
        rate_percent_per_year=demand.late_charge_percent_per_year,
        payments=list(payments),
        as_of=as_of,
    )


@dataclass(frozen=True)
class DemandRow:
    demand: RepaymentDemand
    figures: repayment_rules.Position


def demand_row(demand: RepaymentDemand, today: dt.date | None = None) -> DemandRow:
    """The demand with its figures today (or on the day it was settled). Reads
    `demand.repayments.all()`: prefetch it for a list."""
    payments = [repayment_rules.Payment(r.amount_yen, r.paid_on) for r in demand.repayments.all()]
    as_of = demand.settled_on or today or timezone.localdate()
    return DemandRow(demand, figures_of(demand, payments, as_of))


def demand_page(user: Visitor, cursor: str | None, size: int = 50) -> KeysetPage[DemandRow]:
    """The repayment demands, newest first, each with its figures (three queries a page)."""
    if not policies.can_read_repayments(user):
        raise Http404
    today = timezone.localdate()
    queryset = RepaymentDemand.objects.select_related("application", "cancellation").prefetch_related(
        "repayments"
    )
    return keyset_page(
        queryset, cursor=cursor, size=size, rows=lambda demands: [demand_row(d, today) for d in demands]
    )


def get_demand_for(user: Visitor, pk: int) -> RepaymentDemand:
    """One demand for the repayment form; 404 for missing and forbidden alike."""
    if not policies.can_read_repayments(user):
        raise Http404
    demand = (
        RepaymentDemand.objects.select_related("application")
        .prefetch_related("repayments")
        .filter(pk=pk)
        .first()
    )
    if demand is None:
        raise Http404
    return demand


@dataclass(frozen=True)
class RepaymentAccount:
    """Where a repayment is paid: the association's own account (settings DXGRANT_TRANSFER_*,
    the account grants are paid from), and the payer name the bank statement must show so the
    money can be matched to its demand."""

    bank: str
    branch: str
    account_type: Promise | str
    account_number: str
    holder: str
    payer_name: str


def repayment_account(application: Application) -> RepaymentAccount | None:
    """None where the operator's account is not configured (development without settings)."""
    if not (settings.DXGRANT_TRANSFER_BANK_CODE and settings.DXGRANT_TRANSFER_ACCOUNT_NUMBER):
        return None
    account_type = settings.DXGRANT_TRANSFER_ACCOUNT_TYPE
    return RepaymentAccount(
        bank=f"{settings.DXGRANT_TRANSFER_BANK_CODE} {settings.DXGRANT_TRANSFER_BANK_NAME}",
        branch=f"{settings.DXGRANT_TRANSFER_BRANCH_CODE} {settings.DXGRANT_TRANSFER_BRANCH_NAME}",
        account_type=AccountType(account_type).label if account_type in AccountType.values else account_type,
        account_number=settings.DXGRANT_TRANSFER_ACCOUNT_NUMBER,
        holder=settings.DXGRANT_TRANSFER_REQUESTER_NAME,
        # The receipt number's digits first: banks keep the payer name, cut to its first characters.
        payer_name="".join(c for c in (application.receipt_number or "") if c.isdigit())[-6:],
    )
