"""One-time secrets for invitation links: only a hash is stored, so a database leak does not
leak working links, and the raw token is shown exactly once (in the email)."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """(raw token for the link, hash to store)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
