"""How allauth behaves here: sign-up is closed, an address that fails too often is limited, and
authenticator secrets are encrypted at rest and cannot be removed by those who need them."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dxgrant.integrity.middleware import client_ip

from . import encryption, lockout
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up is closed: applicants arrive by an advisor's invitation, advisors by
    registration, staff are created by the secretariat."""

    def is_open_for_signup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Before any password is checked: an address with many failed sign-ins over every
        account it tried is refused for a while (lockout.py; each account from each address has
        its own, stricter limit in django-axes)."""
        if lockout.address_is_limited(client_ip(request)):
            raise forms.ValidationError(
                _(
                    "このネットワーク（IPアドレス）からのログインの失敗が続いたため、ログインを一時的に受け付けていません。1時間ほど待ってからもう一度お試しください。"
                ),
                code="address_limited",
            )
        super().pre_authenticate(request, **credentials)


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """Secrets are stored encrypted with a key from the settings (encryption.py)."""
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return encryption.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Someone whose role needs a second factor cannot remove their authenticator app (an
        administrator can, in the admin, for a lost phone: audited)."""
        user = authenticator.user
        return not (
            isinstance(user, User) and user.requires_mfa and authenticator.type == Authenticator.Type.TOTP
        )
