"""The secretariat handling an inquiry: its status, its assignee, internal notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dxgrant.accounts.models import Role, User
from dxgrant.integrity.services import audit_record

from ..models import Inquiry, InquiryNote, InquiryStatus
from ..policies import can_handle_inquiries


@transaction.atomic
def update_inquiry(*, actor: User, inquiry: Inquiry, status: str, assignee: User | None) -> Inquiry:
    """Change the status or assignee. Secretariat only (PermissionDenied otherwise); the
    assignee must be secretariat staff too."""
    can_handle_inquiries(actor).require()
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
def add_inquiry_note(*, actor: User, inquiry: Inquiry, body: str) -> InquiryNote:
    """Add an internal note; a new inquiry becomes in progress. Secretariat only
    (PermissionDenied otherwise)."""
    can_handle_inquiries(actor).require()
    note = InquiryNote(inquiry=inquiry, author=actor, body=body)
    note.full_clean()
    note.save()
    if inquiry.status == InquiryStatus.NEW:
        inquiry.status = InquiryStatus.IN_PROGRESS
        inquiry.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="inquiry.note_added", obj=inquiry, changes={"note": note.pk})
    return note
