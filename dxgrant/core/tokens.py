"""One-time secrets for invitation links: only a hash is stored, so a database leak does not
leak working links, and the raw token is shown exactly once (in the email)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_token() -> tuple[str, str]:
    """(raw token for the link, hash to store)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_from_nonce(purpose: str, nonce: str) -> str:
    """A link token derived from a stored nonce with the secret key, so a background task can
    rebuild the link from an id: the raw token is never stored, not even in the task queue."""
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), f"{purpose}:{nonce}".encode("ascii"), hashlib.sha256
    )
    return base64.urlsafe_b64encode(digest.digest()).decode("ascii").rstrip("=")
