"""Who may act for an advisor firm. Each check answers (allowed, reason) so pages can explain.

Used by every app: an advisor's acts (inviting applicants, editing plans, recording support)
all pass through `can_act_as_advisor` / `can_invite_applicants`, so a suspended, revoked or
expired firm's people can do nothing new anywhere, while what they did before is kept.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role

from .models import AdvisorFirm, CourseProgress, FirmMembership, MembershipRole, PublicStatus

STAFF_READERS = (Role.SECRETARIAT, Role.AUDITOR)


def active_membership(user: Any) -> FirmMembership | None:
    """The firm a person acts for, remembered on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.ADVISOR:
        return None
    if hasattr(user, "_dxgrant_membership"):
        cached: FirmMembership | None = user._dxgrant_membership
        return cached
    membership = (
        FirmMembership.objects.select_related("firm__programme").filter(user=user, is_active=True).first()
    )
    user._dxgrant_membership = membership
    return membership


def is_firm_admin(user: Any, firm: AdvisorFirm) -> bool:
    membership = active_membership(user)
    return (
        membership is not None and membership.firm_id == firm.pk and membership.role == MembershipRole.ADMIN
    )


def can_act_as_advisor(user: Any) -> tuple[bool, str]:
    """A member of a firm that is certified, not suspended or revoked, and not expired."""
    membership = active_membership(user)
    if membership is None:
        return False, _("認定事業者に所属するアドバイザーのみが行えます。")
    status = membership.firm.public_status()
    if status == PublicStatus.ACTIVE:
        return True, ""
    reasons = {
        None: _("所属する事業者はまだ認定されていません。"),
        PublicStatus.SUSPENDED: _("所属する事業者の認定が停止されているため、新たな操作はできません。"),
        PublicStatus.REVOKED: _("所属する事業者の認定が取り消されているため、新たな操作はできません。"),
        PublicStatus.EXPIRED: _("所属する事業者の認定の有効期間が終了しているため、新たな操作はできません。"),
    }
    return False, reasons[status]


def has_passed_course(user: Any, programme_id: int, course_version: int) -> bool:
    return CourseProgress.objects.filter(
        user=user, programme_id=programme_id, course_version=course_version, passed_at__isnull=False
    ).exists()


def can_invite_applicants(user: Any) -> tuple[bool, str]:
    """Acting as an advisor, and passed the current advisor course of the firm's programme."""
    allowed, reason = can_act_as_advisor(user)
    if not allowed:
        return allowed, reason
    firm = active_membership(user).firm  # type: ignore[union-attr]
    version = int(firm.programme.advisor_course.get("version", 0))
    if not has_passed_course(user, firm.programme_id, version):
        return False, _("申請者を招待するには、アドバイザー研修の修了（確認テストの合格）が必要です。")
    return True, ""


def firms_visible_to(user: Any) -> QuerySet[AdvisorFirm]:
    """Staff readers see every firm; a firm's people see their own; nobody else sees any."""
    if not getattr(user, "is_authenticated", False):
        return AdvisorFirm.objects.none()
    if user.role in STAFF_READERS:
        return AdvisorFirm.objects.all()
    membership = active_membership(user)
    if membership is not None:
        return AdvisorFirm.objects.filter(pk=membership.firm_id)
    return AdvisorFirm.objects.filter(created_by=user)
