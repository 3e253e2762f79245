"""Emails about advisor support. Tasks take ids, are enqueued on commit, and send each email
once: a claim (a timestamp set only if still empty) is taken in the same transaction as the
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

from . import services
from .models import ClientInvitation, Engagement, EngagementRole, HearingRecord, TrainingSession


def _absolute(path: str) -> str:
    return settings.DXGRANT_SITE_URL.rstrip("/") + path


def _send(template: str, context: dict[str, object], to: str, language: str) -> None:
    with translation.override(language if language in ("ja", "en") else "ja"):
        subject = render_to_string(f"support/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"support/email/{template}_body.txt", context)
    send_mail(subject, body, None, [to])


@task()
def send_client_invitation(invitation_id: int) -> None:
    """The invitation link, to the invited person. A resend makes a new link and clears the
    claim, so the newest link is the one sent."""
    with transaction.atomic():
        if not services.claim_invitation_email(invitation_id):
            return
        invitation = ClientInvitation.objects.select_related(
            "engagement__firm", "engagement__round", "invited_by"
        ).get(pk=invitation_id)
        link = _absolute(reverse("support:invitation_accept", args=[services.invitation_token(invitation)]))
        context = {
            "invitation": invitation,
            "engagement": invitation.engagement,
            "link": link,
            "is_representative": invitation.role == EngagementRole.REPRESENTATIVE,
        }
        existing = User.objects.filter(email__iexact=invitation.email).only("preferred_language").first()
        _send("invitation", context, invitation.email, existing.preferred_language if existing else "ja")


@task()
def send_hearing_recorded(hearing_id: int) -> None:
    """Tell the representative a hearing record awaits their confirmation."""
    hearing = HearingRecord.objects.select_related("engagement__firm", "author").filter(pk=hearing_id).first()
    if hearing is None:
        return
    representative = (
        hearing.engagement.members.filter(role=EngagementRole.REPRESENTATIVE).select_related("user").first()
    )
    if representative is None:
        return  # nobody to tell yet; they see it when they join
    with transaction.atomic():
        if not services.claim_hearing_notice(hearing_id):
            return
        user = representative.user
        context = {
            "hearing": hearing,
            "engagement": hearing.engagement,
            "user": user,
            "link": _absolute(reverse("support:hearing_detail", args=[hearing.pk])),
        }
        _send("hearing_recorded", context, user.email, user.preferred_language)


@task()
def send_session_scheduled(session_id: int) -> None:
    """Tell each invitee (every member when nobody was named) about a scheduled session."""
    session = (
        TrainingSession.objects.select_related("engagement__firm", "engagement__round", "advisor")
        .prefetch_related("invitees")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return
    people = list(session.invitees.all()) or [
        m.user for m in session.engagement.members.select_related("user").order_by("id")
    ]
    unit = services.curriculum_unit(session.engagement.round, session.curriculum_code) or {}
    with transaction.atomic():
        if not people or not services.claim_session_notice(session_id):
            return
        for user in people:
            context = {
                "session": session,
                "unit": unit,
                "engagement": session.engagement,
                "user": user,
                "link": _absolute(reverse("support:session_detail", args=[session.pk])),
            }
            _send("session_scheduled", context, user.email, user.preferred_language)


@task()
def send_engagement_ended(engagement_id: int) -> None:
    """Tell the representative and the lead advisor that the support has ended, once."""
    with transaction.atomic():
        if not services.claim_end_notice(engagement_id):
            return
        engagement = Engagement.objects.select_related("firm", "round", "lead_advisor", "ended_by").get(
            pk=engagement_id
        )
        people = [
            m.user
            for m in engagement.members.filter(role=EngagementRole.REPRESENTATIVE).select_related("user")
        ]
        people.append(engagement.lead_advisor)
        for user in people:
            context: dict[str, object] = {"engagement": engagement, "user": user}
            _send("engagement_ended", context, user.email, user.preferred_language)
