"""Reactions to Django's sign-in signal (connected in apps.AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .models import User
from .sessions import start_back_office_session


@receiver(user_logged_in, dispatch_uid="dxgrant.accounts.back_office_session")
def limit_back_office_session(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """A back-office account's session ends after a working day, whatever "stay signed in" says."""
    if request is not None and hasattr(request, "session") and user.has_short_sessions:
        start_back_office_session(request)
