"""Emails about awards, sent the one house way (core.notify)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify
from dxgrant.integrity.services import audit_record

from .models import Instalment, InstalmentStatus

# --- payments ---


@task()
def send_instalment_paid(instalment_id: int) -> None:
    """Tell the applicant's people an instalment was transferred (amount, date), once."""
    with transaction.atomic():
        instalment = (
            Instalment.objects.select_related("application__engagement")
            .filter(pk=instalment_id, status=InstalmentStatus.PAID)
            .first()
        )
        if instalment is None or not notify.claim(Instalment, instalment.pk, "paid_emailed_at"):
            return
        application = instalment.application
        people = [m.user for m in application.engagement.members.select_related("user") if m.user.is_active]
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for user in recipients:
            context = {"application": application, "instalment": instalment, "link": link, "user": user}
            notify.send_email("awards/email/instalment_paid", context, to=user)
        audit_record(
            actor=None,
            action="awards.instalment_paid_notified",
            obj=instalment,
            changes={"recipients": [u.email for u in recipients]},
        )
