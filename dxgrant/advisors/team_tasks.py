from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .models import AdvisorInvitation


@task()
def send_advisor_invitation(invitation_id: int) -> None:
    from .team import invitation_token_for

    invitation = (
        AdvisorInvitation.objects.select_related("firm", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_usable:
        return
    raw_token = invitation_token_for(invitation.token_nonce)
    link = settings.DXGRANT_SITE_URL.rstrip("/") + reverse("firm:join", args=[raw_token])
    context = {"invitation": invitation, "link": link}
    subject = render_to_string("advisors/team/email/invitation_subject.txt", context).strip()
    body = render_to_string("advisors/team/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
