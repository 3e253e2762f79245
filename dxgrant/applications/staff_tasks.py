"""Emails about the secretariat's acts. Tasks take ids, are enqueued on commit and send once: the
return request is locked and an audit entry marks it notified in the same transaction as the
sending, so a failed send is rolled back and retried, and a repeated task sends nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from dxgrant.accounts.models import User
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import audit_record

from .models import ReturnRequest
from .staff import return_sections

NOTIFIED = "application.return_notified"


def _send(template: str, context: dict[str, object], user: User) -> None:
    language = user.preferred_language if user.preferred_language in ("ja", "en") else "ja"
    with translation.override(language):
        subject = render_to_string(f"applications/staff/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"applications/staff/email/{template}_body.txt", context | {"user": user})
    send_mail(subject, body, None, [user.email])


@task()
def send_return_notice(return_request_id: int) -> None:
    """Tell the applicant's people and the lead advisor that the application was returned, with
    each comment and the due date."""
    with transaction.atomic():
        request = (
            ReturnRequest.objects.select_for_update()
            .select_related("application__round", "application__engagement__lead_advisor")
            .filter(pk=return_request_id)
            .first()
        )
        if request is None:
            return
        if AuditEntry.objects.filter(
            action=NOTIFIED, object_type="applications.returnrequest", object_id=str(request.pk)
        ).exists():
            return
        application = request.application
        engagement = application.engagement
        people = [m.user for m in engagement.members.select_related("user") if m.user.is_active]
        if engagement.lead_advisor.is_active:
            people.append(engagement.lead_advisor)
        recipients = list({p.pk: p for p in people}.values())  # one email per person
        site = settings.DXGRANT_SITE_URL.rstrip("/")
        for user in recipients:
            with translation.override(user.preferred_language or "ja"):
                titles = dict(return_sections(application))
                comments = [(titles.get(code, code), text) for code, text in request.comments.items()]
            context: dict[str, object] = {
                "application": application,
                "request": request,
                "comments": comments,
                "link": site + reverse("accounts:home"),
            }
            _send("returned", context, user)
        audit_record(
            actor=None,
            action=NOTIFIED,
            obj=request,
            changes={"recipients": [u.email for u in recipients]},
        )
