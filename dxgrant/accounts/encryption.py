"""Authenticator secrets (TOTP keys, recovery-code seeds) encrypted at rest, with keys kept in
the settings and never in the database (allauth's MFA adapter calls these; adapter.py).

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) with `MultiFernet` for rotation:
the first key of DXGRANT_MFA_ENCRYPTION_KEYS encrypts, every key decrypts. To rotate, put a new
key first and keep the old one after it; `dxgrant rotate-mfa-keys` re-encrypts every stored
secret with the new key, after which the old one can be removed (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableSecret(ValueError):
    """A stored secret that none of the configured keys decrypts (a wrong or missing key, or a
    value written around the adapter)."""


def _keys() -> MultiFernet:
    keys = list(getattr(settings, "DXGRANT_MFA_ENCRYPTION_KEYS", []) or [])
    if not keys:
        raise ImproperlyConfigured("DXGRANT_MFA_ENCRYPTION_KEYS must name at least one key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Each DXGRANT_MFA_ENCRYPTION_KEYS entry must be a Fernet key "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        ) from exc


def encrypt(text: str) -> str:
    return _keys().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except (InvalidToken, TypeError, ValueError) as exc:
        raise UnreadableSecret(
            "an authenticator secret could not be decrypted with the configured keys"
        ) from exc


def is_encrypted(value: str) -> bool:
    """Whether `value` is a token the configured keys read (the migration skips those)."""
    try:
        decrypt(value)
    except UnreadableSecret:
        return False
    return True


def rotate(token: str) -> str:
    """The same secret encrypted with the first (newest) key."""
    try:
        return _keys().rotate(token.encode()).decode("ascii")
    except InvalidToken as exc:
        raise UnreadableSecret(
            "an authenticator secret could not be decrypted with the configured keys"
        ) from exc


def map_secrets(data: dict[str, object], change: Callable[[str], str]) -> dict[str, object]:
    """An authenticator's `data` with each secret allauth encrypts through the adapter passed
    through `change`: the TOTP key, the recovery codes' seed and any codes migrated in."""
    result = dict(data)
    for key in ("secret", "seed"):
        value = result.get(key)
        if isinstance(value, str):
            result[key] = change(value)
    codes = result.get("migrated_codes")
    if isinstance(codes, list):
        result["migrated_codes"] = [change(code) if isinstance(code, str) else code for code in codes]
    return result
