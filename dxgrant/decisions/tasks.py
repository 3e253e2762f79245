"""The results email, sent at publication the one house way (core.notify): one task per
application, claiming Decision.notified_at, to the applicant's people and the lead advisor."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify
from dxgrant.integrity.services import audit_record

from .models import Decision


@task()
def send_result(decision_id: int) -> None:
    """Tell the applicant's people and the lead advisor the published result, with a link to
    the application. Nothing is sent for a round not yet published."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_related(
                "application__round", "application__engagement__lead_advisor", "round_decision"
            )
            .filter(pk=decision_id, round_decision__published_at__isnull=False)
            .first()
        )
        if decision is None or not notify.claim(Decision, decision.pk, "notified_at"):
            return
        application = decision.application
        engagement = application.engagement
        people = [m.user for m in engagement.members.select_related("user") if m.user.is_active]
        if engagement.lead_advisor.is_active:
            people.append(engagement.lead_advisor)
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for user in recipients:
            context = {"application": application, "decision": decision, "link": link, "user": user}
            notify.send_email("decisions/email/result", context, to=user)
        audit_record(
            actor=None,
            action="decisions.result_notified",
            obj=decision,
            changes={"recipients": [u.email for u in recipients]},
        )
