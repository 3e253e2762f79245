"""Emails about the application. Tasks take ids, are enqueued on commit, and send each email
once: the claim (receipt_emailed_version raised to the version's number) is taken in the same
transaction as the sending, so a failed send is rolled back and retried, and a repeated task
sends nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .models import Application, ApplicationVersion


def _claim(application_id: int, number: int) -> bool:
    return bool(
        Application.objects.filter(pk=application_id)
        .filter(Q(receipt_emailed_version__isnull=True) | Q(receipt_emailed_version__lt=number))
        .update(receipt_emailed_version=number)
    )


@task()
def send_submission_receipt(application_id: int, version_id: int) -> None:
    """Tell the applicant's people and the lead advisor that the application was received."""
    with transaction.atomic():
        version = (
            ApplicationVersion.objects.select_related(
                "application__engagement__lead_advisor", "application__round"
            )
            .filter(pk=version_id, application_id=application_id)
            .first()
        )
        if version is None or not _claim(application_id, version.number):
            return
        application: Application = version.application
        people = [m.user for m in application.engagement.members.select_related("user")]
        lead = application.engagement.lead_advisor
        if lead is not None:
            people.append(lead)
        link = settings.DXGRANT_SITE_URL.rstrip("/") + reverse("applications:detail", args=[application.pk])
        context = {"application": application, "version": version, "link": link}
        for person in people:
            language = getattr(person, "preferred_language", "ja")
            with translation.override(language if language in ("ja", "en") else "ja"):
                subject = render_to_string("applications/email/submitted_subject.txt", context).strip()
                body = render_to_string("applications/email/submitted_body.txt", context)
            send_mail(subject, body, None, [person.email])
