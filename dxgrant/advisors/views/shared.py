"""What the advisors pages share."""

from __future__ import annotations

from django.http import HttpRequest

from dxgrant.accounts.models import User

from ..models import FirmMembership
from ..policies import active_membership


def acting_user(request: HttpRequest) -> User:
    """The signed-in person a page acts for (the page has already sent anyone else away)."""
    user = request.user
    assert isinstance(user, User)
    return user


def membership_of(request: HttpRequest) -> FirmMembership:
    """The membership the page's gate (can_use_firm_pages) found, remembered for the request."""
    membership = active_membership(request.user)
    assert membership is not None
    return membership
