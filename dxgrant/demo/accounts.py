"""The demo accounts: one per role, their published password and the one place of their
authenticator secret (so `dxgrant demo-otp` can print the code an app would show)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.integrity.services import audit_record

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed to the developer on purpose
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo only
DEMO_DOMAIN = "demo.dxgrant.jp"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    name: str


DEMO_ACCOUNTS = [
    DemoAccount(f"applicant@{DEMO_DOMAIN}", Role.APPLICANT, "山田 花子（株式会社やまだ製作所）"),
    DemoAccount(f"advisor@{DEMO_DOMAIN}", Role.ADVISOR, "佐藤 一郎（DX支援合同会社）"),
    DemoAccount(f"reviewer@{DEMO_DOMAIN}", Role.REVIEWER, "鈴木 次郎（審査員）"),
    DemoAccount(f"secretariat@{DEMO_DOMAIN}", Role.SECRETARIAT, "高橋 美咲（事務局）"),
    DemoAccount(f"finance@{DEMO_DOMAIN}", Role.FINANCE, "田中 健（経理）"),
    DemoAccount(f"auditor@{DEMO_DOMAIN}", Role.AUDITOR, "伊藤 誠（監査）"),
]
# The second finance person, who approves the batches finance@ prepares (four eyes).
SECOND_FINANCE = DemoAccount(f"finance2@{DEMO_DOMAIN}", Role.FINANCE, "小松 玲奈（経理・承認）")


def require_demo() -> None:
    if not settings.DXGRANT_DEMO_ENABLED:
        raise ImproperlyConfigured("Demo data is disabled in these settings.")


@transaction.atomic
def demo_user(email: str, role: str, name: str, *, password: str | None = DEMO_PASSWORD) -> User:
    """A demo account with a confirmed address (and an authenticator where its role needs one),
    created once. Accounts are made as the site's administrators make them (there is no
    sign-up); `password=None` makes an account nobody signs in to."""
    user, created = User.objects.get_or_create(email=email, defaults={"role": role, "display_name": name})
    if created:
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=None, action="demo.account_created", obj=user, changes={"role": role})
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if user.requires_mfa:
        enrol_demo_totp(user)
    return user


def enrol_demo_totp(user: User) -> None:
    """Enrol the demo authenticator (the demo secret, so `dxgrant demo-otp` prints its code), once."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def code_now(user: User) -> str:
    """The code `user`'s demo authenticator shows now, by the real clock (which the authenticator
    checks, even while the demo turns `timezone.now` back), waiting out a period about to end."""
    into = time.time() % 30
    if into > 28:
        time.sleep(30 - into + 0.1)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = str(decrypt(authenticator.data["secret"]))
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def account(email: str) -> User:
    return User.objects.get(email=email)


def current_code(email: str) -> str:
    """The one-time code a demo account's authenticator app would show right now."""
    require_demo()
    user = User.objects.get(email=email.lower())
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = str(decrypt(authenticator.data["secret"]))
    counter = int(timezone.now().timestamp()) // 30
    return str(format_hotp_value(hotp_value(secret, counter)))
