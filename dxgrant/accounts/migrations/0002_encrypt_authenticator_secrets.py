"""Encrypt the authenticator secrets stored before they were encrypted at rest (TOTP keys,
recovery-code seeds) with the key from the settings; backwards, store them in the clear again.
Values the configured keys already read are left as they are, so running it twice is harmless."""

from django.db import migrations

from dxgrant.accounts import encryption


def _encrypt(value: str) -> str:
    return value if encryption.is_encrypted(value) else encryption.encrypt(value)


def _decrypt(value: str) -> str:
    return encryption.decrypt(value) if encryption.is_encrypted(value) else value


def _rewrite(apps, change) -> None:  # type: ignore[no-untyped-def]
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.exclude(type="webauthn").iterator():
        data = encryption.map_secrets(authenticator.data or {}, change)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_secrets(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _rewrite(apps, _encrypt)


def decrypt_secrets(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _rewrite(apps, _decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False)]
