"""Who may act for an advisor firm, and who may read and decide its registration. Every `can_*`
answers with a Decision (allowed, and if not, why), so pages can explain and services can
refuse with `.require()`.

Used by every app: an advisor's acts (inviting applicants, editing plans, recording support)
all pass through `can_act_as_advisor` / `can_invite_applicants`, so a suspended, revoked or
expired firm's people can do nothing new anywhere, while what they did before is kept.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role, User, Visitor
from dxgrant.accounts.policies import is_secretariat, is_staff_reader

# Not a copy: other apps still import STAFF_READERS from here until their imports are moved to
# accounts.roles (where it is defined).
from dxgrant.accounts.roles import STAFF_READERS as STAFF_READERS
from dxgrant.core.decisions import Decision
from dxgrant.programs.models import Programme

from .models import AdvisorFirm, CourseProgress, FirmMembership, MembershipRole, PublicStatus

# Where a person's membership is remembered for the request (on the user object).
_MEMBERSHIP_CACHE = "_dxgrant_membership"
_UNSET = object()


def active_membership(user: Visitor) -> FirmMembership | None:
    """The firm a person acts for, remembered on the user object for the request."""
    if not isinstance(user, User) or user.role != Role.ADVISOR:
        return None
    cached = getattr(user, _MEMBERSHIP_CACHE, _UNSET)
    if cached is not _UNSET:
        assert cached is None or isinstance(cached, FirmMembership)
        return cached
    membership = (
        FirmMembership.objects.select_related("firm__programme").filter(user=user, is_active=True).first()
    )
    setattr(user, _MEMBERSHIP_CACHE, membership)
    return membership


def is_firm_admin(user: Visitor, firm: AdvisorFirm) -> bool:
    membership = active_membership(user)
    return (
        membership is not None and membership.firm_id == firm.pk and membership.role == MembershipRole.ADMIN
    )


# --- A firm's people ------------------------------------------------------------------------------


def can_use_firm_pages(user: Visitor) -> Decision:
    """The firm's own pages (team, course): anyone acting for a firm, whatever its standing."""
    if active_membership(user) is None:
        return Decision.deny(_("認定事業者に所属するアドバイザーのみが利用できます。"))
    return Decision.allow()


def can_act_as_advisor(user: Visitor) -> Decision:
    """A member of a firm that is certified, not suspended or revoked, and not expired."""
    membership = active_membership(user)
    if membership is None:
        return Decision.deny(_("認定事業者に所属するアドバイザーのみが行えます。"))
    status = membership.firm.public_status()
    if status == PublicStatus.ACTIVE:
        return Decision.allow()
    reasons = {
        None: _("所属する事業者はまだ認定されていません。"),
        PublicStatus.SUSPENDED: _("所属する事業者の認定が停止されているため、新たな操作はできません。"),
        PublicStatus.REVOKED: _("所属する事業者の認定が取り消されているため、新たな操作はできません。"),
        PublicStatus.EXPIRED: _("所属する事業者の認定の有効期間が終了しているため、新たな操作はできません。"),
    }
    return Decision.deny(reasons[status])


def has_passed_course(user_id: int, programme_id: int, course_version: int) -> bool:
    return CourseProgress.objects.filter(
        user_id=user_id, programme_id=programme_id, course_version=course_version, passed_at__isnull=False
    ).exists()


def can_invite_applicants(user: Visitor) -> Decision:
    """Acting as an advisor, and passed the current advisor course of the firm's programme."""
    acting = can_act_as_advisor(user)
    membership = active_membership(user)
    if not acting or membership is None:
        return acting
    programme = membership.firm.programme
    if not has_passed_course(membership.user_id, programme.pk, programme.course.version):
        return Decision.deny(
            _("申請者を招待するには、アドバイザー研修の修了（確認テストの合格）が必要です。")
        )
    return Decision.allow()


def can_manage_team(user: Visitor, firm: AdvisorFirm) -> Decision:
    """Inviting advisors, revoking invitations, removing members: the firm's administrators,
    while the firm is in good standing."""
    if not is_firm_admin(user, firm):
        return Decision.deny(_("事業者の管理者のみが行えます。"))
    return can_act_as_advisor(user)


def can_take_course(user: Visitor, programme: Programme) -> Decision:
    """The advisor course of a programme: the people of a firm of that programme."""
    membership = active_membership(user)
    if membership is None or membership.firm.programme_id != programme.pk:
        return Decision.deny(_("アドバイザー研修は、認定事業者に所属するアドバイザーのみが受講できます。"))
    return Decision.allow()


# --- The registration ---------------------------------------------------------------------------


def can_start_registration(user: User) -> Decision:
    """A signed-in person starts registering a firm: an advisor account only (a visitor starts
    with a new account; other accounts are asked to use another address)."""
    if user.role != Role.ADVISOR:
        return Decision.deny(
            _("このアカウントでは事業者の登録はできません。別のメールアドレスで登録を始めてください。")
        )
    return Decision.allow()


def can_edit_registration(user: Visitor, firm: AdvisorFirm) -> Decision:
    """Filling in, attaching documents to and submitting a registration: its registrant (the
    firm's administrator). Whether the registration can still be edited is its state's matter."""
    if not is_firm_admin(user, firm):
        return Decision.deny(_("登録者（事業者の管理者）のみが行えます。"))
    return Decision.allow()


def can_read_registrations(user: Visitor) -> Decision:
    """The secretariat's review pages: staff readers (the auditor reads, only the secretariat decides)."""
    if is_staff_reader(user):
        return Decision.allow()
    return Decision.deny(_("認定事業者の審査画面を閲覧する権限がありません。"))


def can_review_registrations(user: Visitor) -> Decision:
    """Certifying, requesting changes, rejecting, renewing, suspending, reinstating, revoking."""
    if is_secretariat(user):
        return Decision.allow()
    return Decision.deny(_("認定事業者の審査・認定は事務局のみが行えます。"))


def firms_visible_to(user: Visitor) -> QuerySet[AdvisorFirm]:
    """Staff readers see every firm; a firm's people see their own; nobody else sees any."""
    if not isinstance(user, User):
        return AdvisorFirm.objects.none()
    if is_staff_reader(user):
        return AdvisorFirm.objects.all()
    membership = active_membership(user)
    if membership is not None:
        return AdvisorFirm.objects.filter(pk=membership.firm_id)
    return AdvisorFirm.objects.filter(created_by=user)
