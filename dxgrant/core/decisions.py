"""A policy's answer: may this person do this, and if not, why (in words they can read).

Every `can_*` in a `policies.py` returns a `Decision`. It unpacks like the `(allowed, reason)`
pair it replaces, is false when refused, and `require()` turns a refusal into the exception
the services raise, so "check, then refuse with the reason" is one line everywhere:

    policies.can_edit_content(actor, application).require()
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str = ""

    @classmethod
    def allow(cls) -> Decision:
        return ALLOWED

    @classmethod
    def deny(cls, reason: str | Promise) -> Decision:
        return cls(False, str(reason))

    def __bool__(self) -> bool:
        return self.allowed

    def __iter__(self) -> Iterator[bool | str]:
        # `allowed, reason = can_x(...)` keeps working where both are wanted.
        yield self.allowed
        yield self.reason

    def require(self) -> None:
        """Raise PermissionDenied with the reason when refused (a 403 page that says why)."""
        if not self.allowed:
            raise PermissionDenied(self.reason)


ALLOWED = Decision(True)
