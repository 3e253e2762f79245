"""Survey emails, sent the one house way (core.notify): one task per invitation claims
`emailed_at` and sends to the applicant's active people in the same transaction, so it is sent
once even when the task runs twice. Tasks read models, never services."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify

from .models import SurveyInvitation


@task()
def send_invitation(invitation_id: int) -> None:
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_related("survey", "application__engagement")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not notify.claim(SurveyInvitation, invitation.pk, "emailed_at"):
            return
        application = invitation.application
        people = {
            m.user.pk: m.user
            for m in application.engagement.members.select_related("user")
            if m.user.is_active
        }
        link = notify.site_url(reverse("surveys:respond", args=[application.pk, invitation.survey_id]))
        for person in people.values():
            context = {"user": person, "survey": invitation.survey, "application": application, "link": link}
            notify.send_email("surveys/email/invitation", context, to=person)
