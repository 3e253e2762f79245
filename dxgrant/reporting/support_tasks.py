"""Support report emails (core.notify): the applicant's people told a report was filed, the
advisor who wrote it told it was disputed. Each claims its column and sends once."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify
from dxgrant.integrity.services import audit_record

from .support_models import SupportReport, SupportReportStatus


def _link(report: SupportReport) -> str:
    return notify.site_url(reverse("support_reports:detail", args=[report.application_id, report.pk]))


@task()
def send_report_filed(report_id: int) -> None:
    with transaction.atomic():
        report = (
            SupportReport.objects.select_related("application__engagement")
            .filter(pk=report_id)
            .exclude(status=SupportReportStatus.DRAFT)
            .first()
        )
        if report is None or not notify.claim(SupportReport, report.pk, "filed_emailed_at"):
            return
        application = report.application
        people = [m.user for m in application.engagement.members.select_related("user") if m.user.is_active]
        recipients = list({p.pk: p for p in people}.values())
        for user in recipients:
            context = {"report": report, "application": application, "link": _link(report), "user": user}
            notify.send_email("reporting/email/support_report_filed", context, to=user)
        audit_record(
            actor=None,
            action="reporting.support_report_filed_emailed",
            obj=report,
            changes={"recipients": [u.email for u in recipients]},
        )


@task()
def send_report_disputed(report_id: int) -> None:
    with transaction.atomic():
        report = (
            SupportReport.objects.select_related("application", "filed_by")
            .filter(pk=report_id, status__in=[SupportReportStatus.DISPUTED, SupportReportStatus.SUPERSEDED])
            .first()
        )
        if report is None or not notify.claim(SupportReport, report.pk, "disputed_emailed_at"):
            return
        advisor = report.filed_by
        recipients = [advisor] if advisor is not None and advisor.is_active else []
        for user in recipients:
            context = {
                "report": report,
                "application": report.application,
                "link": _link(report),
                "user": user,
            }
            notify.send_email("reporting/email/support_report_disputed", context, to=user)
        audit_record(
            actor=None,
            action="reporting.support_report_disputed_emailed",
            obj=report,
            changes={"recipients": [u.email for u in recipients]},
        )
