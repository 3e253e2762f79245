"""The results report's emails (core.notify): the review's outcome to the applicant's people and
the advisor, claimed on `ResultsReport.review_emailed_at`."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify

from . import sources
from .results_models import ResultsReport


@task()
def send_results_reviewed(report_id: int) -> None:
    with transaction.atomic():
        report = ResultsReport.objects.select_related("application").filter(pk=report_id).first()
        if report is None or not notify.claim(ResultsReport, report.pk, "review_emailed_at"):
            return
        application = report.application
        people = sources.recipients(application, "applicant") + sources.recipients(application, "advisor")
        context = {
            "application": application,
            "report": report,
            "approved": report.status == "approved",
            "comments": [line for line in report.lines.all() if line.review_comment],
            "link": notify.site_url(reverse("applications:detail", args=[application.pk])),
        }
        for person in {p.pk: p for p in people}.values():
            notify.send_email("reporting/email/results_reviewed", context | {"user": person}, to=person)
