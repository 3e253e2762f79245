"""Who may see and do what in advisor support (伴走支援). Each check answers (allowed, reason).

Reading: the secretariat and auditors read everything; an advisor reads the engagements of the
firm they act for (also while that firm is suspended, revoked or expired: what was done stays
visible to them); a person of the applicant company reads the engagements they are a member
of. Nobody else sees an engagement at all, and a page says "not found" rather than "forbidden".

Doing: advisors act through `dxgrant.advisors.policies.can_act_as_advisor`, so a firm that is
not in good standing can do nothing new. Acts that belong to the applicant — answering a
hearing record, checking in to training, answering the quiz — are the applicant's own: the
person recorded must be the person acting, with the applicant role and a member of the
engagement. An advisor or staff member is refused even when they could read the page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role
from dxgrant.advisors.policies import (
    STAFF_READERS,
    active_membership,
    can_act_as_advisor,
    can_invite_applicants,
)

from .models import (
    ClientInvitation,
    Engagement,
    EngagementMember,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    HearingResponse,
    TrainingSession,
)

Decision = tuple[bool, str]


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_staff_reader(user: Any) -> bool:
    return _signed_in(user) and user.role in STAFF_READERS


def engagements_visible_to(user: Any) -> QuerySet[Engagement]:
    """The engagements `user` may read; list pages and detail pages both start here."""
    if not _signed_in(user):
        return Engagement.objects.none()
    if user.role in STAFF_READERS:
        return Engagement.objects.all()
    if user.role == Role.ADVISOR:
        membership = active_membership(user)
        if membership is None:
            return Engagement.objects.none()
        return Engagement.objects.filter(firm_id=membership.firm_id)
    if user.role == Role.APPLICANT:
        return Engagement.objects.filter(members__user=user)
    return Engagement.objects.none()


def is_firm_advisor(user: Any, engagement: Engagement) -> bool:
    """A person acting for the firm that supports this engagement (in good standing or not)."""
    membership = active_membership(user)
    return membership is not None and membership.firm_id == engagement.firm_id


def member_of(user: Any, engagement: Engagement) -> EngagementMember | None:
    """The user's membership of the engagement, read through a prefetch when there is one."""
    if not _signed_in(user) or user.role != Role.APPLICANT:
        return None
    for member in engagement.members.all():
        if member.user_id == user.pk:
            return member
    return None


# --- Advisor acts --------------------------------------------------------------------------------


def can_start_engagement(user: Any) -> Decision:
    """Inviting a new applicant company: acting as an advisor and the advisor course passed."""
    return can_invite_applicants(user)


def can_manage_engagement(user: Any, engagement: Engagement) -> Decision:
    """Record hearings, schedule and cancel training, resend or revoke invitations, show the
    check-in code: an advisor of the engagement's firm while the firm is in good standing,
    and while the engagement has not ended."""
    if not is_firm_advisor(user, engagement):
        return False, _("この支援先を担当する認定事業者のアドバイザーのみが行えます。")
    allowed, reason = can_act_as_advisor(user)
    if not allowed:
        return allowed, reason
    if engagement.status == EngagementStatus.ENDED:
        return False, _("この支援は終了しています。")
    return True, ""


def can_end_engagement(user: Any, engagement: Engagement) -> Decision:
    """End the support: the company's representative (its right to choose its advisor), or an
    advisor of the firm in good standing. Not delegated staff, not staff, not twice."""
    if engagement.status == EngagementStatus.ENDED:
        return False, _("この支援は終了しています。")
    member = member_of(user, engagement)
    if member is not None:
        if member.role != EngagementRole.REPRESENTATIVE:
            return False, _("支援の終了は、会社の代表者が行います。")
        return True, ""
    if is_firm_advisor(user, engagement):
        return can_act_as_advisor(user)
    return False, _("この支援先の代表者または担当の認定事業者のみが行えます。")


def can_edit_hearing(user: Any, hearing: HearingRecord) -> Decision:
    allowed, reason = can_manage_engagement(user, hearing.engagement)
    if not allowed:
        return allowed, reason
    if hearing.response != HearingResponse.PENDING:
        return False, _("申請者が回答したヒアリング記録は編集できません。")
    return True, ""


def can_correct_hearing(user: Any, hearing: HearingRecord) -> Decision:
    allowed, reason = can_manage_engagement(user, hearing.engagement)
    if not allowed:
        return allowed, reason
    if hearing.response != HearingResponse.DISPUTED:
        return False, _("訂正できるのは、申請者が異議を示した記録だけです。")
    if hasattr(hearing, "correction"):
        return False, _("この記録にはすでに訂正の記録があります。")
    return True, ""


# --- Applicant acts ------------------------------------------------------------------------------


def _applicant_self(actor: Any, engagement: Engagement) -> tuple[EngagementMember | None, str]:
    if not _signed_in(actor) or actor.role != Role.APPLICANT:
        return None, _(
            "この操作は申請者ご本人のみが行えます。アドバイザーや事務局が代わりに行うことはできません。"
        )
    member = member_of(actor, engagement)
    if member is None:
        return None, _("この支援先のメンバーではありません。")
    return member, ""


def can_respond_to_hearing(actor: Any, hearing: HearingRecord) -> Decision:
    """A member of the applicant company, for a record that awaits an answer."""
    member, reason = _applicant_self(actor, hearing.engagement)
    if member is None:
        return False, reason
    if hearing.response != HearingResponse.PENDING:
        return False, _("このヒアリング記録にはすでに回答済みです。")
    return True, ""


def is_invited(user: Any, session: TrainingSession) -> bool:
    """Invited by name, or — when the session names nobody — any member of the engagement."""
    invitee_ids = [u.pk for u in session.invitees.all()]
    if not invitee_ids:
        return member_of(user, session.engagement) is not None
    return user.pk in invitee_ids


def can_check_in(actor: Any, session: TrainingSession) -> Decision:
    """The attendee themselves: an applicant, a member of the engagement, invited to the session.
    The code and the time window are checked by the service, not here."""
    member, reason = _applicant_self(actor, session.engagement)
    if member is None:
        return False, reason
    if session.cancelled_at is not None:
        return False, _("この研修は中止されました。")
    if not is_invited(actor, session):
        return False, _("この研修の参加者として招待されていません。")
    return True, ""


def can_take_quiz(actor: Any, engagement: Engagement, *, has_attended: bool) -> Decision:
    """A member who attended at least one session themselves."""
    member, reason = _applicant_self(actor, engagement)
    if member is None:
        return False, reason
    if not has_attended:
        return False, _("確認テストは、研修に1回以上出席してから受けられます。")
    return True, ""


def can_invite_staff(actor: Any, engagement: Engagement) -> Decision:
    """The representative adds delegated staff of their own company."""
    member, reason = _applicant_self(actor, engagement)
    if member is None:
        return False, reason
    if member.role != EngagementRole.REPRESENTATIVE:
        return False, _("担当者を追加できるのは代表者のみです。")
    if engagement.status == EngagementStatus.ENDED:
        return False, _("この支援は終了しています。")
    return True, ""


def can_manage_invitation(actor: Any, invitation: ClientInvitation) -> Decision:
    """Resend or revoke: the firm's advisors (any invitation), or the representative (the
    staff invitations of their company). Only while the invitation is still open."""
    engagement = invitation.engagement
    if is_firm_advisor(actor, engagement):
        allowed, reason = can_manage_engagement(actor, engagement)
    elif invitation.role == EngagementRole.STAFF:
        allowed, reason = can_invite_staff(actor, engagement)
    else:
        allowed, reason = False, _("この招待を操作する権限がありません。")
    if not allowed:
        return allowed, reason
    if not invitation.is_open:
        return False, _("この招待はすでに承諾または取り消されています。")
    return True, ""
