"""Reads of the formal screening (形式審査): the checklist of one application, the facts its
automatic items are judged on (screening_checks.py), and the secretariat's screening queue.

The checklist is built once per request (`checklist(application)`) and handed to the services
(`services.screening.confirm_item`, `pass_screening`, `reject_as_ineligible`), which rebuild it
inside their transaction so what is saved is what the data says at that moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import FirmReviewEvent, RegistrationStatus
from dxgrant.core.i18n import localised
from dxgrant.programs.models import Round
from dxgrant.programs.review_schema import ScreeningItem

from . import completeness, document_rules, screening_checks, workflow
from .models import (
    Application,
    ApplicationVersion,
    DocumentOpening,
    FeeTiming,
    ScreeningCheck,
    ScreeningDecision,
    ScreeningOutcome,
)

# Where the secretariat screens: the queue lists these, oldest submission first.
QUEUE_STATES = (workflow.SUBMITTED, workflow.SCREENING)
DECLARATION_TITLE_CHARS = 40


def items_of(round_obj: Round) -> list[ScreeningItem]:
    """The round's checklist, in its order (round data)."""
    return list(round_obj.rules.review.screening)


def latest_version(application: Application) -> ApplicationVersion | None:
    return ApplicationVersion.objects.filter(application=application).order_by("-number").first()


@dataclass
class Row:
    """One item of the checklist: the round's item, the system's finding, the confirmation."""

    item: ScreeningItem
    finding: screening_checks.Finding
    check: ScreeningCheck | None = None

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def label(self) -> str:
        return localised(self.item, "label")

    @property
    def automatic(self) -> bool:
        return self.item.check != screening_checks.MANUAL

    @property
    def confirmed(self) -> bool:
        return self.check is not None and self.check.met

    def as_json(self) -> dict[str, Any]:
        """What the audit entry and the decision keep of this item."""
        return {
            "code": self.code,
            "check": self.item.check,
            "finding": self.finding.as_json(),
            "confirmed_met": None if self.check is None else self.check.met,
            "note": "" if self.check is None else self.check.note,
            "confirmed_by": "" if self.check is None else self.check.confirmed_by.email,
            "confirmed_at": "" if self.check is None else self.check.confirmed_at.isoformat(),
        }


@dataclass
class Checklist:
    """The screening of one application's latest submitted version."""

    application: Application
    version: ApplicationVersion | None
    rows: list[Row] = field(default_factory=list)
    decision: ScreeningDecision | None = None

    @property
    def confirmed_count(self) -> int:
        return sum(1 for row in self.rows if row.confirmed)

    @property
    def complete(self) -> bool:
        return bool(self.rows) and all(row.confirmed for row in self.rows)

    def row(self, code: str) -> Row | None:
        return next((row for row in self.rows if row.code == code), None)

    def findings(self) -> list[dict[str, Any]]:
        return [row.as_json() for row in self.rows]


class _Facts:
    """What the automatic items read, each fetched on first use (one query or four)."""

    def __init__(self, application: Application, version: ApplicationVersion) -> None:
        self.application = application
        self.version = version
        self.snapshot: dict[str, Any] = version.snapshot or {}

    def eligibility(self) -> screening_checks.Finding:
        return screening_checks.eligibility(
            self.application.round.rules.eligibility, self.snapshot.get("profile") or {}
        )

    def documents(self) -> screening_checks.Finding:
        required = [
            (spec.code, localised(spec, "name"))
            for spec in document_rules.upload_specs(self.application.round)
        ]
        openings: dict[str, list[screening_checks.Opening]] = {}
        for opening in DocumentOpening.objects.filter(
            application=self.application, opened_by__role=Role.SECRETARIAT
        ).select_related("opened_by"):
            openings.setdefault(opening.sha256, []).append(
                screening_checks.Opening(opening.opened_by.email, opening.first_opened_at)
            )
        submitted = [
            screening_checks.SubmittedDocument(
                d.get("code", ""), d.get("name", ""), openings.get(d.get("sha256"), [])
            )
            for d in self.snapshot.get("documents") or []
        ]
        return screening_checks.documents(required, submitted)

    def declarations(self) -> screening_checks.Finding:
        texts = completeness.current_declarations(self.application)
        required = [(t.key, localised(t, "text")[:DECLARATION_TITLE_CHARS]) for t in texts]
        return screening_checks.declarations(required, self.snapshot.get("declarations") or [])

    def training(self) -> screening_checks.Finding:
        record = completeness.requirements(self.application)
        return screening_checks.training(
            [screening_checks.Condition(item.label, item.met, item.detail) for item in record.items]
        )

    def firm_certified(self) -> screening_checks.Finding:
        firm = self.application.firm
        events = (
            FirmReviewEvent.objects.filter(firm=firm)
            .order_by("created_at", "id")
            .values_list("action", "created_at")
        )
        certified = firm.registration_status == RegistrationStatus.CERTIFIED
        history = screening_checks.FirmHistory(
            name=firm.name,
            certification_number=firm.certification_number or "",
            events=screening_checks.completed_events(
                list(events),
                certified_at=firm.decided_at if certified else None,
                current_state=firm.certification_state,
                state_changed_at=firm.state_changed_at,
            ),
            valid_from=firm.valid_from,
            valid_until=firm.valid_until,
        )
        at = self.version.submitted_at
        return screening_checks.firm_certified(history, at, timezone.localdate(at))

    def fee_disclosure(self) -> screening_checks.Finding:
        confirmed = (
            Application.objects.filter(pk=self.application.pk)
            .values_list("disclosure_confirmed_by__email", "disclosure_confirmed_at")
            .first()
        ) or (None, None)
        labels = {value: str(label) for value, label in FeeTiming.choices}
        by, at = confirmed
        return screening_checks.fee_disclosure(self.snapshot.get("disclosure") or {}, by, at, labels)

    @cached_property
    def judges(self) -> dict[str, Any]:
        return {
            screening_checks.ELIGIBILITY: self.eligibility,
            screening_checks.DOCUMENTS: self.documents,
            screening_checks.DECLARATIONS: self.declarations,
            screening_checks.TRAINING: self.training,
            screening_checks.FIRM_CERTIFIED: self.firm_certified,
            screening_checks.FEE_DISCLOSURE: self.fee_disclosure,
        }

    def finding(self, check: str) -> screening_checks.Finding:
        judge = self.judges.get(check)
        return judge() if judge is not None else screening_checks.manual()


def checklist(application: Application, version: ApplicationVersion | None = None) -> Checklist:
    """The checklist of the application's latest submitted version: each of the round's items
    with the system's finding (automatic items) and the confirmation saved for it. Each kind of
    fact is read once, whatever the number of items."""
    version = version or latest_version(application)
    if version is None:
        return Checklist(application, None)
    facts = _Facts(application, version)
    cache: dict[str, screening_checks.Finding] = {}
    checks = {
        c.code: c for c in ScreeningCheck.objects.filter(version=version).select_related("confirmed_by")
    }
    rows = []
    for item in items_of(application.round):
        if item.check not in cache:
            cache[item.check] = facts.finding(item.check)
        rows.append(Row(item, cache[item.check], checks.get(item.code)))
    decision = ScreeningDecision.objects.filter(version=version).select_related("decided_by").first()
    return Checklist(application, version, rows, decision)


def screening_rejection(application: Application) -> ScreeningDecision | None:
    """The reasons the applicant and the advisor read when the screening rejected the
    application. No query unless the application is rejected."""
    if application.status != workflow.REJECTED:
        return None
    return (
        ScreeningDecision.objects.filter(application=application, outcome=ScreeningOutcome.REJECTED)
        .only("reasons", "decided_at")
        .order_by("-id")
        .first()
    )


def oldest_waiting_round_id() -> int | None:
    """The round of the application that has waited longest for screening (the queue opens on
    it), or None when nothing waits. One query, on the status index."""
    return (
        Application.objects.filter(status__in=QUEUE_STATES)
        .order_by("submitted_at", "id")
        .values_list("round_id", flat=True)
        .first()
    )


def queue(round_obj: Round) -> QuerySet[Application]:
    """The round's applications waiting for screening, with how many items of the latest
    version are confirmed as met (`confirmed`). Ordered by submission, then id (the view pages
    it by a key of both)."""
    latest = (
        ApplicationVersion.objects.filter(application=OuterRef("application"))
        .order_by("-number")
        .values("pk")[:1]
    )
    confirmed = (
        ScreeningCheck.objects.filter(application=OuterRef("pk"), met=True, version=Subquery(latest))
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Application.objects.filter(round=round_obj, status__in=QUEUE_STATES)
        .select_related("firm")
        .only(
            "id",
            "status",
            "company_name",
            "receipt_number",
            "submitted_at",
            "prefecture",
            "firm__name",
            "round_id",
        )
        .annotate(confirmed=Coalesce(Subquery(confirmed), 0))
    )


def queue_filter_after(queryset: QuerySet[Application], cursor: str) -> QuerySet[Application]:
    """The rows after the keyset cursor "<submitted_at iso>|<id>" (a garbled cursor: from the start)."""
    stamp, _sep, pk = cursor.partition("|")
    if not pk.isdigit():
        return queryset
    try:
        at = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return queryset
    return queryset.filter(Q(submitted_at__gt=at) | Q(submitted_at=at, id__gt=int(pk)))
