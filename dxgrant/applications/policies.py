"""Who may see and do what on an application. Every `can_*` returns a Decision.

The applicant's side is the company's people (engagement members: representative and delegated
staff). The advisor's side is the people of the firm supporting the engagement. Acts that belong
to the applicant (declarations, disclosure confirmation, final submission, withdrawal, later
acceptance and payee account) are refused to anyone else, including every advisor.

Who a person is to an application (`side_of`) costs a query for an applicant; a page computes
it once and passes the `Side` to every decision it asks for (selectors.application_page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User, Visitor
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.accounts.roles import STAFF_READERS, Role
from dxgrant.advisors.policies import active_membership, can_act_as_advisor
from dxgrant.core.decisions import Decision

from . import workflow
from .models import Application


def _role(user: Visitor) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def applications_visible_to(user: Visitor) -> QuerySet[Application]:
    """List pages and detail pages both start here."""
    role = _role(user)
    if role is None:
        return Application.objects.none()
    if role in STAFF_READERS:
        return Application.objects.all()
    if role == Role.ADVISOR:
        membership = active_membership(user)
        if membership is None:
            return Application.objects.none()
        return Application.objects.filter(firm_id=membership.firm_id)
    if role == Role.APPLICANT:
        return Application.objects.filter(engagement__members__user=cast(User, user))
    return Application.objects.none()


def get_application_for(user: Visitor, pk: int, queryset: QuerySet[Application] | None = None) -> Application:
    """The application, if `user` may see it; 404 for missing and forbidden alike."""
    qs = queryset if queryset is not None else Application.objects.all()
    application = qs.filter(pk=pk).filter(pk__in=applications_visible_to(user).values("pk")).first()
    if application is None:
        raise Http404("application")
    return application


def can_use_staff_pages(user: Visitor) -> Decision:
    """The secretariat's application pages: staff readers (accounts.policies.can_read_as_staff),
    refused in these pages' own words."""
    if can_read_as_staff(user):
        return Decision.allow()
    return Decision.deny(_("申請の管理画面は、事務局と監査担当者のみが利用できます。"))


def is_applicant(user: Visitor, application: Application) -> bool:
    if _role(user) != Role.APPLICANT:
        return False
    return application.engagement.members.filter(user=cast(User, user)).exists()


def is_firm_advisor(user: Visitor, application: Application) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.firm_id == application.firm_id


def _advisor_standing(user: Visitor) -> Decision:
    allowed, reason = can_act_as_advisor(user)
    return Decision.allow() if allowed else Decision.deny(str(reason))


@dataclass(frozen=True)
class Side:
    """Who a person is to one application: workflow.APPLICANT, ADVISOR, SECRETARIAT, FINANCE or None
    (read-only or nobody), and for an advisor whether their firm lets them act."""

    kind: str | None
    advisor_standing: Decision = Decision.allow()

    @property
    def is_applicant(self) -> bool:
        return self.kind == workflow.APPLICANT

    @property
    def is_advisor(self) -> bool:
        return self.kind == workflow.ADVISOR


def side_of(user: Visitor, application: Application) -> Side:
    if is_applicant(user, application):
        return Side(workflow.APPLICANT)
    if is_firm_advisor(user, application):
        return Side(workflow.ADVISOR, _advisor_standing(user))
    if _role(user) == Role.SECRETARIAT:
        return Side(workflow.SECRETARIAT)
    if _role(user) == Role.FINANCE:
        return Side(workflow.FINANCE)
    return Side(None)


def can_edit_content(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """Company profile, plan, budget, documents: the applicant's people or an advisor of the
    firm in good standing, while the application is being written or corrected."""
    if application.status not in workflow.EDITABLE:
        return Decision.deny(_("この申請は現在編集できません。"))
    side = side or side_of(user, application)
    if side.is_applicant:
        return Decision.allow()
    if side.is_advisor:
        return side.advisor_standing
    return Decision.deny(_("この申請を編集する権限がありません。"))


def can_act_as_applicant(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """Declarations, confirming the advisor's disclosure, final submission, withdrawal: the
    applicant's own people only. Never an advisor, never staff."""
    if (side or side_of(user, application)).is_applicant:
        return Decision.allow()
    return Decision.deny(_("この操作は申請者ご本人のみが行えます。"))


def can_fire(user: Visitor, application: Application, name: str, side: Side | None = None) -> Decision:
    """May `user` fire workflow transition `name` now (roles and source state only; the
    transition's guards are evaluated when it is fired)."""
    if not workflow.LIFECYCLE.allows(name, application.status):
        return Decision.deny(_("現在の状態ではこの操作はできません。"))
    side = side or side_of(user, application)
    if side.kind is None or not workflow.LIFECYCLE.allows(name, application.status, side.kind):
        return Decision.deny(_("この操作を行う権限がありません。"))
    if side.is_advisor:
        return side.advisor_standing
    return Decision.allow()
