"""Emails about advisor support. Each task takes an id, is enqueued on commit by a service,
reads through `selectors`, and sends each email once: in one transaction it claims the row's
timestamp column (`core.notify.claim`) and sends, so a failed send rolls the claim back and is
retried, and a repeated task sends nothing. Tasks never import services."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify

from . import selectors
from .models import (
    ClientInvitation,
    Engagement,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    TrainingSession,
)


@task()
def send_client_invitation(invitation_id: int) -> None:
    """The invitation link, to the invited person, in their language if they have an account.
    A resend makes a new link and clears the claim, so the newest link is the one sent; an
    accepted or revoked invitation is not sent."""
    with transaction.atomic():
        invitation = selectors.invitation_for_email(invitation_id)
        if invitation is None or not invitation.is_open:
            return
        if not notify.claim(ClientInvitation, invitation_id, "sent_at"):
            return
        link = notify.site_url(reverse("support:invitation_accept", args=[invitation.link_token()]))
        context = {
            "invitation": invitation,
            "engagement": invitation.engagement,
            "link": link,
            "is_representative": invitation.role == EngagementRole.REPRESENTATIVE,
        }
        notify.send_email("support/email/invitation", context, to=invitation.email)


@task()
def send_hearing_recorded(hearing_id: int) -> None:
    """Tell the representative a hearing record awaits their confirmation."""
    with transaction.atomic():
        hearing = selectors.hearing_for_email(hearing_id)
        if hearing is None:
            return
        representative = selectors.representative_of(hearing.engagement)
        if representative is None:
            return  # nobody to tell yet; they see it when they join
        if not notify.claim(HearingRecord, hearing_id, "notified_at"):
            return
        context = {
            "hearing": hearing,
            "engagement": hearing.engagement,
            "user": representative,
            "link": notify.site_url(reverse("support:hearing_detail", args=[hearing.pk])),
        }
        notify.send_email("support/email/hearing_recorded", context, to=representative)


@task()
def send_session_scheduled(session_id: int) -> None:
    """Tell each invitee (every member when nobody was named) about a scheduled session; a
    cancelled session is not announced."""
    with transaction.atomic():
        session = selectors.session_for_email(session_id)
        if session is None or session.cancelled_at is not None:
            return
        people = selectors.session_recipients(session)
        unit = selectors.curriculum_unit(session.engagement.round, session.curriculum_code)
        if not people or not notify.claim(TrainingSession, session_id, "notified_at"):
            return
        for user in people:
            context = {
                "session": session,
                "unit": unit,
                "engagement": session.engagement,
                "user": user,
                "link": notify.site_url(reverse("support:session_detail", args=[session.pk])),
            }
            notify.send_email("support/email/session_scheduled", context, to=user)


@task()
def send_engagement_ended(engagement_id: int) -> None:
    """Tell the representative and the lead advisor that the support has ended, once."""
    with transaction.atomic():
        engagement = selectors.engagement_for_email(engagement_id)
        if engagement is None or engagement.status != EngagementStatus.ENDED:
            return
        if not notify.claim(Engagement, engagement_id, "end_notified_at"):
            return
        for user in selectors.end_notice_recipients(engagement):
            notify.send_email(
                "support/email/engagement_ended", {"engagement": engagement, "user": user}, to=user
            )
