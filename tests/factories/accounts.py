"""People: accounts with a confirmed address (and an authenticator where the role needs one),
the one-time codes of that authenticator, and a client signed in as someone."""

from __future__ import annotations

import time

import factory
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.test import Client
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者 {n}")
    role = Role.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def mfa(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Accounts whose role needs MFA come enrolled unless mfa=False is passed."""
        wanted = extracted if extracted is not None else self.requires_mfa
        if create and wanted:
            TOTP.activate(self, TOTP_SECRET)


def signed_in(user: User, client: Client | None = None) -> Client:
    """A test client signed in as `user` (kept on the client as `client.user`) the way the
    sign-in page signs them in: with the password, then, where they have an authenticator, a
    code from it (so pages that require a passed second factor let them in)."""
    client = client or Client()
    client.force_login(user)
    pass_second_factor(client, user)
    client.user = user  # type: ignore[attr-defined]
    return client


_plain_force_login = Client.force_login


def force_login_as_the_sign_in_does(self: Client, user: User, backend: str | None = None) -> None:
    """`Client.force_login` in the tests (tests/conftest.py puts it in place for every test): the
    session is signed in as the sign-in page signs people in, second factor included where the
    person has an authenticator. A test of a session that skipped it uses `password_only`."""
    _plain_force_login(self, user, backend)
    pass_second_factor(self, user)


def password_only(client: Client, user: User) -> Client:
    """`client` signed in as `user` with the password alone, never the second factor (the way the
    Django admin's own login form used to sign people in)."""
    _plain_force_login(client, user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def pass_second_factor(client: Client, user: User) -> None:
    """Record in the client's session what allauth records when `user` signs in with the
    password and then a code from their authenticator app (if they have one)."""
    now = time.time()
    records: list[dict[str, object]] = [{"method": "password", "at": now, "email": user.email}]
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        records.append({"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def enrol_totp(user: User) -> Authenticator:
    """Enrol an authenticator app for someone whose role does not come with one (an applicant
    about to confirm a submission); someone already enrolled keeps the one they have (made with
    the same secret by UserFactory)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing
    return TOTP.activate(user, TOTP_SECRET).instance  # type: ignore[no-any-return]


def enrol_on_the_page(client: Client, password: str = PASSWORD) -> None:
    """The signed-in person of `client` sets up an authenticator app on the enrolment page, as a
    person does who is sent there on their first sign-in (password asked again, then a code from
    the app for the secret the page shows)."""
    activate = "/accounts/2fa/totp/activate/"
    asked = client.get(activate)
    if asked.status_code == 302:  # allauth asks for the password again first
        client.post(asked["Location"], {"password": password})
    secret = client.get(activate).context["form"].secret
    wait_out_code_rollover()
    done = client.post(activate, {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))})
    assert done.status_code == 302, done.content.decode()[:2000]


def totp_now(user: User) -> str:
    """The code the person's authenticator app shows now (waiting out a period about to end)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = str(decrypt(authenticator.data["secret"]))
    wait_out_code_rollover()
    counter = int(timezone.now().timestamp()) // 30
    return str(format_hotp_value(hotp_value(secret, counter)))


def wait_out_code_rollover(margin: float = 5.0) -> None:
    """A one-time code lives for a 30-second period; a code computed in the last seconds of one
    may reach the server in the next and be refused. Wait for the next period in that case."""
    into = time.time() % 30
    if into > 30 - margin:
        time.sleep(30 - into + 0.2)
