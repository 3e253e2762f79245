"""What several support pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from dxgrant.accounts.models import User

from .. import policies, selectors
from ..models import Engagement


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def engagement_home(user: User, engagement: Engagement) -> str:
    """Where a person goes back to: the applicant's page for members, the detail otherwise."""
    if policies.member_of(user, engagement) is not None:
        return reverse("support:my_engagement", args=[engagement.pk])
    return reverse("support:engagement_detail", args=[engagement.pk])


def detail_context(user: User, engagement: Engagement) -> dict[str, Any]:
    """What the engagement's pages show (detail, attendance, the applicant's page). The actions
    offered come from the lifecycle table (`policies.actions_for`)."""
    may_manage, manage_reason = policies.can_manage_engagement(user, engagement)
    actions = {t.name for t in policies.actions_for(user, engagement)}
    return {
        "engagement": engagement,
        "may_end": "end" in actions,
        "members": list(engagement.members.all()),
        "may_manage": may_manage,
        "manage_reason": manage_reason,
        "is_staff_reader": policies.is_staff_reader(user),
        **selectors.engagement_detail(engagement),
    }
