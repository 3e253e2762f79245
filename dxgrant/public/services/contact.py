"""An inquiry sent from the public contact form."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import selectors, tasks
from ..models import Inquiry


class TooManyInquiries(Exception):
    """The sender's address has reached the hourly limit."""


@transaction.atomic
def submit_inquiry(
    *,
    name: str,
    email: str,
    category: str,
    message: str,
    submission_token: uuid.UUID,
    organisation: str = "",
    phone: str = "",
    language: str = "ja",
    ip_address: str | None,
) -> tuple[Inquiry, bool]:
    """Store an inquiry from the public form and queue the acknowledgement email.

    Anyone may call it. Returns (inquiry, created): a repeated token returns the inquiry it
    already stored. Refuses with TooManyInquiries once the address reached the hourly limit.
    The limit counts stored inquiries, so it holds across web processes without a shared cache.
    """
    existing = Inquiry.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    if selectors.inquiries_from_ip_last_hour(ip_address) >= settings.DXGRANT_INQUIRY_LIMIT_PER_HOUR:
        raise TooManyInquiries
    try:
        inquiry = _store(
            Inquiry(
                name=name,
                email=email,
                category=category,
                message=message,
                organisation=organisation,
                phone=phone,
                language=language,
                ip_address=ip_address,
                submission_token=submission_token,
            )
        )
    except IntegrityError:
        # Two identical requests raced; the other one stored it.
        return Inquiry.objects.get(submission_token=submission_token), False
    return inquiry, True


@transaction.atomic
def _store(inquiry: Inquiry) -> Inquiry:
    # A savepoint of its own: a raced duplicate rolls back alone, and the caller still reads
    # the inquiry the other request stored.
    inquiry.full_clean()
    inquiry.save()
    audit_record(actor=None, action="inquiry.received", obj=inquiry)
    enqueue_on_commit(tasks.send_inquiry_acknowledgement, inquiry.pk)
    return inquiry
