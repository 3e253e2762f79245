"""Cancelling a notice (取消し): it stays on record, and its verification answers "cancelled"
from then on. The cancellation of the award itself (its workflow, repayment) is the caller's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import policies
from ..models import Notice, NoticeStatus


@transaction.atomic
def cancel_notice(*, actor: User, notice: Notice, reason: str) -> Notice:
    """Mark the notice cancelled now, with the reason. Callers: the secretariat. Refused: no
    reason. Cancelling a cancelled notice returns it unchanged."""
    policies.can_cancel_notice(actor).require()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("取消しの理由を入力してください。")})
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.status == NoticeStatus.CANCELLED:
        return locked
    locked.status = NoticeStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    audit_record(
        actor=actor,
        action="awards.notice_cancelled",
        obj=locked,
        changes={"number": locked.number, "reason": reason},
    )
    return locked
