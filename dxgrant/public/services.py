"""Every write about inquiries."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.integrity.services import audit_record

from .models import Inquiry, InquiryNote, InquiryStatus
from .policies import can_handle_inquiries


class TooManyInquiries(Exception):
    """The sender's address has reached the hourly limit."""


def inquiries_from_ip_last_hour(ip_address: str | None) -> int:
    if not ip_address:
        return 0
    since = timezone.now() - dt.timedelta(hours=1)
    return Inquiry.objects.filter(ip_address=ip_address, created_at__gte=since).count()


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
    if inquiries_from_ip_last_hour(ip_address) >= settings.DXGRANT_INQUIRY_LIMIT_PER_HOUR:
        raise TooManyInquiries
    try:
        with transaction.atomic():
            inquiry = Inquiry(
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
            inquiry.full_clean()
            inquiry.save()
            audit_record(actor=None, action="inquiry.received", obj=inquiry)
    except IntegrityError:
        # Two identical requests raced; the other one stored it.
        return Inquiry.objects.get(submission_token=submission_token), False

    from .tasks import send_inquiry_acknowledgement

    transaction.on_commit(lambda: send_inquiry_acknowledgement.enqueue(inquiry.pk))
    return inquiry, True


@transaction.atomic
def update_inquiry(inquiry: Inquiry, *, actor: User, status: str, assignee: User | None) -> Inquiry:
    """Change the status or assignee. Secretariat only; the assignee must be secretariat."""
    allowed, reason = can_handle_inquiries(actor)
    if not allowed:
        raise PermissionDenied(reason)
    if assignee is not None and assignee.role != Role.SECRETARIAT:
        raise PermissionDenied("assignee must be secretariat staff")
    before = {"status": inquiry.status, "assignee": inquiry.assignee_id}
    inquiry.status = InquiryStatus(status)
    inquiry.assignee = assignee
    inquiry.save(update_fields=["status", "assignee", "updated_at"])
    after = {"status": inquiry.status, "assignee": inquiry.assignee_id}
    if before != after:
        audit_record(
            actor=actor, action="inquiry.updated", obj=inquiry, changes={"before": before, "after": after}
        )
    return inquiry


@transaction.atomic
def add_inquiry_note(inquiry: Inquiry, *, actor: User, body: str) -> InquiryNote:
    """Add an internal note. Secretariat only."""
    allowed, reason = can_handle_inquiries(actor)
    if not allowed:
        raise PermissionDenied(reason)
    note = InquiryNote(inquiry=inquiry, author=actor, body=body)
    note.full_clean()
    note.save()
    if inquiry.status == InquiryStatus.NEW:
        inquiry.status = InquiryStatus.IN_PROGRESS
        inquiry.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="inquiry.note_added", obj=inquiry, changes={"note": note.pk})
    return note


def mark_acknowledged(inquiry_id: int) -> bool:
    """Claim the acknowledgement for sending; False if it was already sent (idempotent)."""
    return bool(
        Inquiry.objects.filter(pk=inquiry_id, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now()
        )
    )
