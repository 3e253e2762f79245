"""An accepted award with a filed plan of two budget lines, for the results report's tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxgrant.accounts.models import StepUpAttempt, StepUpOutcome, StepUpPurpose, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.programs.models import Programme
from dxgrant.reporting.results_models import ResultsReport
from dxgrant.reporting.services import results_reports as service
from tests.awards.conftest import notified
from tests.factories.files import pdf_bytes

SNAPSHOT = {
    "budget": {
        "lines": [
            {"item": "クラウド会計ソフト", "eligible_amount_yen": 1_000_000},
            {"item": "ノートPC", "eligible_amount_yen": 500_000},
        ]
    },
    "plan": {"kpis": {"text": "", "data": {"sales": {"baseline": "100", "target": "120"}}}},
}


@dataclass
class Award:
    application: Application
    applicant: User
    advisor: User
    secretariat: User


def accepted_award(
    programme: Programme, secretariat: User, status: str = workflow.PAID, **columns: object
) -> Award:
    """`columns` go to the application (`round_obj=` for a round of its own)."""
    awarded = notified(programme, secretariat, **columns)
    application = awarded.application
    application.status = status
    application.save(update_fields=["status"])
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        snapshot=SNAPSHOT,
        submitted_by=awarded.applicant,
        submitted_at=timezone.now(),
    )
    return Award(application, awarded.applicant, awarded.advisor, secretariat)


def pdf(tag: str = "evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{tag}.pdf", pdf_bytes(tag), content_type="application/pdf")


def evidence_dates(application: Application) -> dict[str, dt.date]:
    """Dates in order inside the round's programme period."""
    start = application.round.programme_period_starts
    return {
        k: start + dt.timedelta(days=i)
        for i, k in enumerate(["quotation", "order", "delivery", "invoice", "payment"])
    }


def complete_report(award: Award, *, actual: tuple[int, int] = (800_000, 600_000)) -> ResultsReport:
    """Both lines filled with every required evidence, dated in order, marked ready by the advisor."""
    report = service.open_report(application=award.application, actor=award.advisor)
    report = service.save_lines(
        report=report,
        actor=award.advisor,
        revision=report.revision,
        lines={
            0: service.LineInput(actual[0], "株式会社ソフト販売"),
            1: service.LineInput(actual[1], "家電量販店"),
        },
    )
    dates = evidence_dates(award.application)
    for line in report.lines.all():
        for kind, day in dates.items():
            service.add_evidence(line=line, actor=award.applicant, kind=kind, file=pdf(kind), dated_on=day)
    report.refresh_from_db()
    return service.mark_ready(report=report, actor=award.advisor)


def fresh_code(user: User) -> StepUpAttempt:
    return StepUpAttempt.objects.create(
        user=user, purpose=StepUpPurpose.RESULTS_REPORT, at=timezone.now(), outcome=StepUpOutcome.ACCEPTED
    )
