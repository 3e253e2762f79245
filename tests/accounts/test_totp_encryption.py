"""Authenticator secrets are encrypted at rest with a key from the settings (never stored as
the secret the person's app was given), and a data migration encrypts those stored before."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.demo.seed import seed_demo
from tests.accounts.test_sign_in import current_code, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ACTIVATE = "/accounts/2fa/totp/activate/"


def stored_secret(user) -> str:  # type: ignore[no-untyped-def]
    return str(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


def test_a_secret_set_up_on_the_page_is_stored_encrypted_and_still_works(settings):
    user = UserFactory(role=Role.SECRETARIAT, mfa=False)
    client = Client()
    sign_in(client, user.email)
    client.post(client.get(ACTIVATE)["Location"], {"password": PASSWORD})
    secret = client.get(ACTIVATE).context["form"].secret
    assert client.post(ACTIVATE, {"code": current_code(secret)}).status_code == 302
    stored = stored_secret(user)
    assert secret not in stored and stored != secret
    # The stored form is made with the key in the settings: another key cannot read it.
    settings.DXGRANT_MFA_ENCRYPTION_KEYS = ["h0Xq8gM1gqTQjzJQ2V1mVd7z3k9l3bq4J6bq0m0x3nE="]
    with pytest.raises(ValueError):
        Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).wrap().validate_code("123456")


def test_the_recovery_codes_seed_is_encrypted_too():
    user = UserFactory(role=Role.FINANCE)
    codes = RecoveryCodes.activate(user)
    seed = codes.instance.data["seed"]
    assert len(seed) > 40 and not all(c in "0123456789abcdef" for c in seed)
    assert codes.get_unused_codes()  # still readable


def test_the_migration_encrypts_secrets_stored_in_the_clear(settings):
    user = UserFactory(role=Role.AUDITOR, mfa=False)
    plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
    row = Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": plain})
    rc = Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "ab" * 20, "used_mask": 0}
    )
    migration = importlib.import_module("dxgrant.accounts.migrations.0002_encrypt_authenticator_secrets")
    migration.encrypt_secrets(django_apps, None)
    row.refresh_from_db()
    rc.refresh_from_db()
    assert row.data["secret"] != plain and rc.data["seed"] != "ab" * 20
    assert row.wrap().instance.data["secret"] != plain
    # Running it again changes nothing (already encrypted), and the code works.
    migration.encrypt_secrets(django_apps, None)
    row.refresh_from_db()
    client = Client()
    sign_in(client, user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": current_code(plain)}).status_code == 302
    # Backwards, the secrets are in the clear again.
    migration.decrypt_secrets(django_apps, None)
    row.refresh_from_db()
    assert row.data["secret"] == plain


def test_demo_advisors_come_enrolled_and_demo_otp_prints_their_code(programme, capsys):
    seed_demo()
    for email in ("advisor@demo.dxgrant.jp", "advisor-lead@demo.dxgrant.jp"):
        client = Client()
        assert "/accounts/2fa/authenticate/" in sign_in(client, email, "demo-pass-2026")["Location"]
        call_command("demo_otp", email)
        code = capsys.readouterr().out.strip()
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
        assert client.get("/support/").status_code == 200


def test_rotate_mfa_keys_re_encrypts_with_the_new_key_and_codes_still_work(settings):
    user = UserFactory(role=Role.SECRETARIAT)
    old_key = settings.DXGRANT_MFA_ENCRYPTION_KEYS[0]
    before = stored_secret(user)
    new_key = "h0Xq8gM1gqTQjzJQ2V1mVd7z3k9l3bq4J6bq0m0x3nE="
    settings.DXGRANT_MFA_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_mfa_keys")
    after = stored_secret(user)
    assert after != before
    settings.DXGRANT_MFA_ENCRYPTION_KEYS = [new_key]  # the old key can now be removed
    client = Client()
    sign_in(client, user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": current_code()}).status_code == 302
