"""Who may do what in the review. Reviewers see only their own assignments while they hold a
place on them, and nothing of a round before accepting its confidentiality terms; the secretariat
manages the pool, the draws, conflicts and reopenings; auditors read the secretariat's pages."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.accounts.roles import Role
from dxgrant.core.decisions import Decision

from . import lifecycle
from .models import Assignment, ReviewerMembership

__all__ = [
    "assignments_visible_to",
    "can_act_as_secretariat",
    "can_declare",
    "can_read_as_staff",
    "can_score",
    "can_use_reviewer_pages",
    "is_reviewer",
]


def is_reviewer(user: Visitor) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) == Role.REVIEWER)


def can_use_reviewer_pages(user: Visitor) -> Decision:
    if is_reviewer(user):
        return Decision.allow()
    return Decision.deny(_("この画面は審査員のみが利用できます。"))


def assignments_visible_to(user: Visitor) -> QuerySet[Assignment]:
    """A reviewer's own places that still hold (awaiting the declaration, scoring, submitted), in
    rounds whose terms they accepted and whose pool they are active in; nobody else's."""
    if not is_reviewer(user):
        return Assignment.objects.none()
    accepted = ReviewerMembership.objects.filter(
        round=OuterRef("application__round"),
        reviewer=user.pk,
        active=True,
        terms_accepted_at__isnull=False,
    )
    return Assignment.objects.filter(reviewer=user.pk, status__in=lifecycle.HOLDING).filter(Exists(accepted))


def _own(user: Visitor, assignment: Assignment) -> Decision:
    if not is_reviewer(user) or assignment.reviewer_id != user.pk:
        return Decision.deny(_("この審査の担当者のみが行えます。"))
    return Decision.allow()


def can_declare(user: Visitor, assignment: Assignment) -> Decision:
    own = _own(user, assignment)
    if not own:
        return own
    if assignment.status != lifecycle.AWAITING_DECLARATION:
        return Decision.deny(_("利益相反の申告は済んでいます。"))
    return Decision.allow()


def can_score(user: Visitor, assignment: Assignment) -> Decision:
    own = _own(user, assignment)
    if not own:
        return own
    if assignment.status == lifecycle.AWAITING_DECLARATION:
        return Decision.deny(_("採点の前に、利益相反の有無を申告してください。"))
    if assignment.status == lifecycle.SUBMITTED:
        return Decision.deny(
            _("提出済みの採点は変更できません。変更が必要な場合は事務局に連絡してください。")
        )
    if assignment.status != lifecycle.SCORING:
        return Decision.deny(_("この申請の審査の担当ではありません。"))
    return Decision.allow()
