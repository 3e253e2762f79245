"""Emails about plan changes (core.notify): the applicant's people and the lead advisor are told
of the secretariat's decision, once. The secretariat gets nothing per request: the list of open
requests is their queue."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.accounts.models import User
from dxgrant.core import notify
from dxgrant.integrity.services import audit_record

from .plan_models import PlanChange


@task()
def send_plan_change_decided(change_id: int) -> None:
    with transaction.atomic():
        change = (
            PlanChange.objects.select_related("application__engagement__lead_advisor", "version")
            .filter(pk=change_id)
            .exclude(status="open")
            .first()
        )
        if change is None or not notify.claim(PlanChange, change.pk, "decision_emailed_at"):
            return
        application = change.application
        engagement = application.engagement
        people: list[User] = [m.user for m in engagement.members.select_related("user") if m.user.is_active]
        if engagement.lead_advisor.is_active:
            people.append(engagement.lead_advisor)
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("plans:plan", args=[application.pk]))
        for user in recipients:
            context = {"change": change, "application": application, "link": link, "user": user}
            notify.send_email("reporting/plans/email/decided", context, to=user)
        audit_record(
            actor=None,
            action="reporting.plan_change_emailed",
            obj=change,
            changes={"recipients": [u.email for u in recipients]},
        )
