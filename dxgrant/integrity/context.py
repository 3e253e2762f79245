"""Who is acting and from where, for the length of one request or command.

Services receive the actor explicitly; the IP address is ambient because it belongs to the
transport, not to the business act, and threading it through every call would add nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current_ip: ContextVar[str | None] = ContextVar("dxgrant_current_ip", default=None)


def current_ip() -> str | None:
    return _current_ip.get()


@contextmanager
def request_ip(ip: str | None) -> Iterator[None]:
    token = _current_ip.set(ip)
    try:
        yield
    finally:
        _current_ip.reset(token)
