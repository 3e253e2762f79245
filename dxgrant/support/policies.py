"""Who may see and do what in advisor support (伴走支援). Each `can_*` returns a Decision.

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

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role, User, Visitor
from dxgrant.accounts.policies import is_staff_reader
from dxgrant.advisors import policies as advisor_policies
from dxgrant.advisors.policies import active_membership
from dxgrant.core.decisions import Decision
from dxgrant.core.lifecycle import Transition

from . import lifecycle
from .models import (
    ClientInvitation,
    Engagement,
    EngagementMember,
    EngagementRole,
    HearingRecord,
    HearingResponse,
    TrainingSession,
)

__all__ = [
    "actions_for",
    "can_check_in",
    "can_correct_hearing",
    "can_edit_hearing",
    "can_end_engagement",
    "can_invite_staff",
    "can_manage_engagement",
    "can_manage_invitation",
    "can_respond_to_hearing",
    "can_start_engagement",
    "can_take_quiz",
    "engagements_visible_to",
    "is_firm_advisor",
    "is_invited",
    "is_staff_reader",
    "may_act_for_firm",
    "member_of",
    "side_of",
]


def _signed_in(user: Visitor | None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _role(user: Visitor) -> str | None:
    return getattr(user, "role", None)


def _can_act_as_advisor(user: Visitor) -> Decision:
    # The advisors app answers (allowed, reason); a Decision unpacks the same way.
    return Decision(*advisor_policies.can_act_as_advisor(user))


def engagements_visible_to(user: Visitor) -> QuerySet[Engagement]:
    """The engagements `user` may read; list pages and detail pages both start here."""
    if not isinstance(user, User) or not _signed_in(user):
        return Engagement.objects.none()
    if is_staff_reader(user):
        return Engagement.objects.all()
    if _role(user) == Role.ADVISOR:
        membership = active_membership(user)
        if membership is None:
            return Engagement.objects.none()
        return Engagement.objects.filter(firm_id=membership.firm_id)
    if _role(user) == Role.APPLICANT:
        return Engagement.objects.filter(members__user=user)
    return Engagement.objects.none()


def is_firm_advisor(user: Visitor, engagement: Engagement) -> bool:
    """A person acting for the firm that supports this engagement (in good standing or not)."""
    membership = active_membership(user)
    return membership is not None and membership.firm_id == engagement.firm_id


def member_of(user: Visitor, engagement: Engagement) -> EngagementMember | None:
    """The user's membership of the engagement, read through a prefetch when there is one."""
    if not _signed_in(user) or _role(user) != Role.APPLICANT:
        return None
    for member in engagement.members.all():
        if member.user_id == user.pk:
            return member
    return None


def side_of(user: Visitor, engagement: Engagement) -> str | None:
    """Which side of the engagement `user` is on, in the words of the lifecycle table: the
    company's representative or delegated staff, an advisor of the firm, or neither."""
    member = member_of(user, engagement)
    if member is not None:
        if member.role == EngagementRole.REPRESENTATIVE:
            return lifecycle.REPRESENTATIVE
        return lifecycle.COMPANY_STAFF
    if is_firm_advisor(user, engagement):
        return lifecycle.ADVISOR
    return None


# --- Advisor acts --------------------------------------------------------------------------------


def can_start_engagement(user: Visitor) -> Decision:
    """Inviting a new applicant company: acting as an advisor and the advisor course passed."""
    return Decision(*advisor_policies.can_invite_applicants(user))


def can_manage_engagement(user: Visitor, engagement: Engagement) -> Decision:
    """Record hearings, schedule and cancel training, resend or revoke invitations, show the
    check-in code: an advisor of the engagement's firm while the firm is in good standing,
    and while the engagement has not ended."""
    if not is_firm_advisor(user, engagement):
        return Decision.deny(_("この支援先を担当する認定事業者のアドバイザーのみが行えます。"))
    acting = _can_act_as_advisor(user)
    if not acting:
        return acting
    if engagement.status not in lifecycle.ONGOING:
        return Decision.deny(_("この支援は終了しています。"))
    return Decision.allow()


def can_end_engagement(user: Visitor, engagement: Engagement) -> Decision:
    """End the support (the lifecycle's `end`): the company's representative (its right to
    choose its advisor), or an advisor of the firm in good standing. Not delegated staff, not
    staff, not twice."""
    if not lifecycle.ENGAGEMENT.allows("end", engagement.status):
        return Decision.deny(_("この支援は終了しています。"))
    side = side_of(user, engagement)
    if side in (lifecycle.REPRESENTATIVE, lifecycle.COMPANY_STAFF):
        if not lifecycle.ENGAGEMENT.allows("end", engagement.status, side):
            return Decision.deny(_("支援の終了は、会社の代表者が行います。"))
        return Decision.allow()
    if side == lifecycle.ADVISOR:
        return _can_act_as_advisor(user)
    return Decision.deny(_("この支援先の代表者または担当の認定事業者のみが行えます。"))


# The policy that decides, for one person and one engagement, each transition a page offers.
# (`accept` is not a page action: the representative fires it through the emailed link.)
_PAGE_ACTIONS = {"end": can_end_engagement}


def actions_for(user: Visitor, engagement: Engagement) -> list[Transition]:
    """The lifecycle transitions the engagement's pages offer this person now: those the table
    allows from the current state to their side, that their policy allows too."""
    side = side_of(user, engagement)
    if side is None:
        return []
    return [
        t
        for t in lifecycle.ENGAGEMENT.available(engagement.status, [side])
        if t.name in _PAGE_ACTIONS and _PAGE_ACTIONS[t.name](user, engagement)
    ]


def can_edit_hearing(user: Visitor, hearing: HearingRecord) -> Decision:
    managing = can_manage_engagement(user, hearing.engagement)
    if not managing:
        return managing
    if hearing.response != HearingResponse.PENDING:
        return Decision.deny(_("申請者が回答したヒアリング記録は編集できません。"))
    return Decision.allow()


def can_correct_hearing(user: Visitor, hearing: HearingRecord) -> Decision:
    managing = can_manage_engagement(user, hearing.engagement)
    if not managing:
        return managing
    if hearing.response != HearingResponse.DISPUTED:
        return Decision.deny(_("訂正できるのは、申請者が異議を示した記録だけです。"))
    if hasattr(hearing, "correction"):
        return Decision.deny(_("この記録にはすでに訂正の記録があります。"))
    return Decision.allow()


# --- Applicant acts ------------------------------------------------------------------------------


def _applicant_self(actor: Visitor | None, engagement: Engagement) -> tuple[EngagementMember | None, str]:
    if actor is None or not _signed_in(actor) or _role(actor) != Role.APPLICANT:
        return None, _(
            "この操作は申請者ご本人のみが行えます。アドバイザーや事務局が代わりに行うことはできません。"
        )
    member = member_of(actor, engagement)
    if member is None:
        return None, _("この支援先のメンバーではありません。")
    return member, ""


def can_respond_to_hearing(actor: Visitor, hearing: HearingRecord) -> Decision:
    """A member of the applicant company, for a record that awaits an answer."""
    member, reason = _applicant_self(actor, hearing.engagement)
    if member is None:
        return Decision.deny(reason)
    if hearing.response != HearingResponse.PENDING:
        return Decision.deny(_("このヒアリング記録にはすでに回答済みです。"))
    return Decision.allow()


def is_invited(user: Visitor, session: TrainingSession) -> bool:
    """Invited by name, or — when the session names nobody — any member of the engagement."""
    invitee_ids = [u.pk for u in session.invitees.all()]
    if not invitee_ids:
        return member_of(user, session.engagement) is not None
    return user.pk in invitee_ids


def can_check_in(actor: Visitor, session: TrainingSession) -> Decision:
    """The attendee themselves: an applicant, a member of the engagement, invited to the session.
    The code and the time window are checked by the service, not here."""
    member, reason = _applicant_self(actor, session.engagement)
    if member is None:
        return Decision.deny(reason)
    if session.cancelled_at is not None:
        return Decision.deny(_("この研修は中止されました。"))
    if not is_invited(actor, session):
        return Decision.deny(_("この研修の参加者として招待されていません。"))
    return Decision.allow()


def can_take_quiz(actor: Visitor | None, engagement: Engagement, *, has_attended: bool) -> Decision:
    """A member who attended at least one session themselves."""
    member, reason = _applicant_self(actor, engagement)
    if member is None:
        return Decision.deny(reason)
    if not has_attended:
        return Decision.deny(_("確認テストは、研修に1回以上出席してから受けられます。"))
    return Decision.allow()


def can_invite_staff(actor: Visitor, engagement: Engagement) -> Decision:
    """The representative adds delegated staff of their own company."""
    member, reason = _applicant_self(actor, engagement)
    if member is None:
        return Decision.deny(reason)
    if member.role != EngagementRole.REPRESENTATIVE:
        return Decision.deny(_("担当者を追加できるのは代表者のみです。"))
    if engagement.status not in lifecycle.ONGOING:
        return Decision.deny(_("この支援は終了しています。"))
    return Decision.allow()


def can_manage_invitation(actor: Visitor, invitation: ClientInvitation) -> Decision:
    """Resend or revoke: the firm's advisors (any invitation), or the representative (the
    staff invitations of their company). Only while the invitation is still open."""
    engagement = invitation.engagement
    if is_firm_advisor(actor, engagement):
        decision = can_manage_engagement(actor, engagement)
    elif invitation.role == EngagementRole.STAFF:
        decision = can_invite_staff(actor, engagement)
    else:
        decision = Decision.deny(_("この招待を操作する権限がありません。"))
    if not decision:
        return decision
    if not invitation.is_open:
        return Decision.deny(_("この招待はすでに承諾または取り消されています。"))
    return Decision.allow()


def may_act_for_firm(user: User) -> Decision:
    """Acting as an advisor at all (a firm in good standing): the dashboard's own question."""
    return _can_act_as_advisor(user)
