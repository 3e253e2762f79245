"""Who may see and do what on an application. Answers are (allowed, reason).

The applicant's side is the company's people (engagement members: representative and delegated
staff). The advisor's side is the people of the firm supporting the engagement. Acts that belong
to the applicant (declarations, disclosure confirmation, final submission, withdrawal, later
acceptance and payee account) are refused to anyone else, including every advisor.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role
from dxgrant.advisors.policies import STAFF_READERS, active_membership, can_act_as_advisor

from . import workflow
from .models import Application

Decision = tuple[bool, str]


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """List pages and detail pages both start here."""
    if not _signed_in(user):
        return Application.objects.none()
    if user.role in STAFF_READERS:
        return Application.objects.all()
    if user.role == Role.ADVISOR:
        membership = active_membership(user)
        if membership is None:
            return Application.objects.none()
        return Application.objects.filter(firm_id=membership.firm_id)
    if user.role == Role.APPLICANT:
        return Application.objects.filter(engagement__members__user=user)
    return Application.objects.none()


def get_application_for(user: Any, pk: int, queryset: QuerySet[Application] | None = None) -> Application:
    """The application, if `user` may see it; 404 for missing and forbidden alike."""
    qs = queryset if queryset is not None else Application.objects.all()
    application = qs.filter(pk=pk).filter(pk__in=applications_visible_to(user).values("pk")).first()
    if application is None:
        raise Http404("application")
    return application


def is_applicant(user: Any, application: Application) -> bool:
    return (
        _signed_in(user)
        and user.role == Role.APPLICANT
        and application.engagement.members.filter(user=user).exists()
    )


def is_firm_advisor(user: Any, application: Application) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.firm_id == application.firm_id


def side_of(user: Any, application: Application) -> str | None:
    """workflow.APPLICANT, workflow.ADVISOR, workflow.SECRETARIAT or None (read-only or nobody)."""
    if is_applicant(user, application):
        return workflow.APPLICANT
    if is_firm_advisor(user, application):
        return workflow.ADVISOR
    if _signed_in(user) and user.role == Role.SECRETARIAT:
        return workflow.SECRETARIAT
    return None


def can_edit_content(user: Any, application: Application) -> Decision:
    """Company profile, plan, budget, documents: the applicant's people or an advisor of the
    firm in good standing, while the application is being written or corrected."""
    if application.status not in workflow.EDITABLE:
        return False, _("この申請は現在編集できません。")
    if is_applicant(user, application):
        return True, ""
    if is_firm_advisor(user, application):
        return can_act_as_advisor(user)
    return False, _("この申請を編集する権限がありません。")


def can_act_as_applicant(user: Any, application: Application) -> Decision:
    """Declarations, confirming the advisor's disclosure, final submission, withdrawal: the
    applicant's own people only. Never an advisor, never staff."""
    if is_applicant(user, application):
        return True, ""
    return False, _("この操作は申請者ご本人のみが行えます。")


def can_fire(user: Any, application: Application, name: str) -> Decision:
    """May `user` fire workflow transition `name` now (roles and source state only)."""
    transition = workflow.TRANSITIONS[name]
    if application.status not in transition.sources:
        return False, _("現在の状態ではこの操作はできません。")
    side = side_of(user, application)
    if side is None or side not in transition.actors:
        return False, _("この操作を行う権限がありません。")
    if side == workflow.ADVISOR:
        return can_act_as_advisor(user)
    return True, ""
