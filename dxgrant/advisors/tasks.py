"""Emails about registration and certification. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from collections.abc import Mapping

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .models import AdvisorFirm
from .selectors import affected_applicants, firm_recipients
from .services import claim_applicant_notification, claim_firm_notification


def _link(path: str) -> str:
    return settings.DXGRANT_SITE_URL.rstrip("/") + path


def _render(name: str, context: Mapping[str, object]) -> tuple[str, str]:
    subject = render_to_string(f"advisors/email/{name}_subject.txt", context).strip()
    body = render_to_string(f"advisors/email/{name}_body.txt", context)
    return subject, body


@task()
def send_registration_confirmation(email_address_id: int, firm_id: int) -> None:
    """The link that confirms the registrant's address (allauth's confirmation), and where to
    continue afterwards. Nothing is sent once the address is confirmed."""
    address = EmailAddress.objects.select_related("user").filter(pk=email_address_id, verified=False).first()
    firm = AdvisorFirm.objects.filter(pk=firm_id).first()
    if address is None or firm is None:
        return
    key = EmailConfirmationHMAC(address).key
    context = {
        "user": address.user,
        "firm": firm,
        "confirm_link": _link(reverse("account_confirm_email", args=[key])),
        "continue_link": _link(reverse("account_login") + "?next=" + reverse("advisors:my_registration")),
    }
    with translation.override(address.user.preferred_language or "ja"):
        subject, body = _render("registration_confirm", context)
    send_mail(subject, body, None, [address.email])


@task()
def send_registration_account_exists(email: str) -> None:
    """Someone started a registration with an address that already has an account: tell its
    owner how to continue, without telling the visitor that the account exists."""
    context = {
        "login_link": _link(reverse("account_login") + "?next=" + reverse("advisors:my_registration")),
        "reset_link": _link(reverse("account_reset_password")),
    }
    subject, body = _render("registration_account_exists", context)
    send_mail(subject, body, None, [email])


@task()
def send_firm_decision(event_id: int) -> None:
    """Tell the firm about its submission or a decision (with the reason)."""
    with transaction.atomic():
        event = claim_firm_notification(event_id)
        if event is None:
            return
        firm = event.firm
        recipients = firm_recipients(firm)
        if not recipients:
            return
        context = {
            "event": event,
            "firm": firm,
            "registration_link": _link(reverse("advisors:registration", args=[firm.pk])),
            "register_link": _link(reverse("advisors:register_detail", args=[firm.certification_number]))
            if firm.certification_number
            else "",
        }
        with translation.override(firm.created_by.preferred_language or "ja"):
            subject, body = _render("decision", context)
        # Sent inside the transaction: if sending fails the claim is rolled back and a retry sends.
        send_mail(subject, body, None, recipients)


@task()
def notify_affected_applicants(event_id: int) -> None:
    """Tell every person of every applicant the firm supports that the firm was suspended,
    reinstated or revoked, and what that means for their application."""
    with transaction.atomic():
        event = claim_applicant_notification(event_id)
        if event is None:
            return
        firm = event.firm
        messages = []
        for person in affected_applicants(firm):
            context = {
                "event": event,
                "firm": firm,
                "person": person,
                "register_link": _link(reverse("advisors:register_detail", args=[firm.certification_number])),
            }
            with translation.override(person.preferred_language or "ja"):
                subject, body = _render("applicants", context)
            messages.append((subject, body, None, [person.email]))
        if messages:
            send_mass_mail(messages)
