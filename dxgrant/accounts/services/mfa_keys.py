"""Re-encrypting every stored authenticator secret with the newest key of
DXGRANT_MFA_ENCRYPTION_KEYS (key rotation; `dxgrant rotate-mfa-keys`, docs/operations.md)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db import transaction

from dxgrant.integrity.services import audit_record

from .. import encryption


@transaction.atomic
def rotate_stored_secrets() -> int:
    """Re-encrypt each TOTP key and recovery-code seed with the first configured key; returns how
    many authenticators were rewritten. Raises encryption.UnreadableSecret (and changes nothing)
    if a stored secret is not readable with any configured key. Recorded in the audit log."""
    rewritten = 0
    for authenticator in Authenticator.objects.select_for_update().exclude(type=Authenticator.Type.WEBAUTHN):
        data = encryption.map_secrets(authenticator.data or {}, encryption.rotate)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            rewritten += 1
    audit_record(
        actor=None, action="accounts.mfa_keys_rotated", obj=None, changes={"authenticators": rewritten}
    )
    return rewritten
