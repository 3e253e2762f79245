"""Emails about advisor firms: starting a registration, the secretariat's decisions, the
applicants of a suspended, reinstated or revoked firm, and invitations to join a firm.

Every task takes ids, claims its row's `*_at` column and sends in one transaction
(`core.notify`): a task that runs twice sends once, and a send that fails rolls the claim back
so a retry sends. Tasks read through models and selectors; they never import the services
(the services import this module and enqueue on commit).
"""

from __future__ import annotations

from allauth.account.models import EmailConfirmationHMAC
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.core import notify
from dxgrant.core.tokens import token_from_nonce

from .models import INVITATION_TOKEN_PURPOSE, AdvisorInvitation, FirmReviewEvent, RegistrationEmail
from .selectors import affected_applicants, firm_recipients


def _continue_link() -> str:
    return notify.site_url(reverse("account_login") + "?next=" + reverse("advisors:my_registration"))


@task()
def send_registration_confirmation(registration_email_id: int) -> None:
    """The link that confirms the registrant's address (allauth's confirmation), and where to
    continue afterwards. Nothing is sent once the address is confirmed."""
    with transaction.atomic():
        email = (
            RegistrationEmail.objects.select_related("email_address__user", "firm")
            .filter(pk=registration_email_id, email_address__verified=False)
            .first()
        )
        if email is None or email.email_address is None or email.firm is None:
            return
        if not notify.claim(RegistrationEmail, email.pk, "sent_at"):
            return
        address = email.email_address
        context = {
            "user": address.user,
            "firm": email.firm,
            "confirm_link": notify.site_url(
                reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
            ),
            "continue_link": _continue_link(),
        }
        notify.send_email(
            "advisors/email/registration_confirm",
            context,
            to=address.email,
            language=notify.language_of(address.user),
        )


@task()
def send_registration_account_exists(registration_email_id: int) -> None:
    """Someone started a registration with an address that already has an account: tell its
    owner how to continue, without telling the visitor that the account exists."""
    with transaction.atomic():
        if not notify.claim(RegistrationEmail, registration_email_id, "sent_at"):
            return
        email = RegistrationEmail.objects.get(pk=registration_email_id)
        context = {
            "login_link": _continue_link(),
            "reset_link": notify.site_url(reverse("account_reset_password")),
        }
        # In the language of the account the address belongs to.
        notify.send_email("advisors/email/registration_account_exists", context, to=email.to)


@task()
def send_firm_decision(event_id: int) -> None:
    """Tell the firm about its submission or a decision (with the reason): one email to its
    contact address and its administrators, in the language of the registrant's account."""
    with transaction.atomic():
        if not notify.claim(FirmReviewEvent, event_id, "firm_notified_at"):
            return
        event = FirmReviewEvent.objects.select_related("firm__programme", "firm__created_by").get(pk=event_id)
        firm = event.firm
        recipients = firm_recipients(firm)
        if not recipients:
            return
        context = {
            "event": event,
            "firm": firm,
            "registration_link": notify.site_url(reverse("advisors:registration", args=[firm.pk])),
            "register_link": notify.site_url(
                reverse("advisors:register_detail", args=[firm.certification_number])
            )
            if firm.certification_number
            else "",
        }
        subject, body = notify.render_email(
            "advisors/email/decision", context, language=notify.language_of(firm.created_by)
        )
        # Sent inside the transaction: if sending fails the claim is rolled back and a retry sends.
        send_mail(subject, body, None, recipients)


@task()
def notify_affected_applicants(event_id: int) -> None:
    """Tell every person of every applicant the firm supports that the firm was suspended,
    reinstated or revoked, and what that means for their application, each in their language."""
    with transaction.atomic():
        if not notify.claim(FirmReviewEvent, event_id, "applicants_notified_at"):
            return
        event = FirmReviewEvent.objects.select_related("firm__programme").get(pk=event_id)
        firm = event.firm
        register_link = notify.site_url(reverse("advisors:register_detail", args=[firm.certification_number]))
        for person in affected_applicants(firm):
            context = {"event": event, "firm": firm, "person": person, "register_link": register_link}
            notify.send_email("advisors/email/applicants", context, to=person)


@task()
def send_advisor_invitation(invitation_id: int) -> None:
    """The link to join the firm, in the invited person's language (their account's, if the
    address has one; Japanese otherwise). Sent once per invitation, and not for one that was
    revoked, accepted or has expired before the task ran."""
    with transaction.atomic():
        invitation = (
            AdvisorInvitation.objects.select_related("firm", "invited_by").filter(pk=invitation_id).first()
        )
        if invitation is None or not invitation.is_usable:
            return
        if not notify.claim(AdvisorInvitation, invitation.pk, "sent_at"):
            return
        token = token_from_nonce(INVITATION_TOKEN_PURPOSE, invitation.token_nonce)
        context = {"invitation": invitation, "link": notify.site_url(reverse("firm:join", args=[token]))}
        notify.send_email("advisors/team/email/invitation", context, to=invitation.email)
