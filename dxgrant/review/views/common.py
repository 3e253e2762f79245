from __future__ import annotations

from django.http import HttpRequest

from dxgrant.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in person (the views that call this are behind a gate)."""
    user = request.user
    assert isinstance(user, User)
    return user
