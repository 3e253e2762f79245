"""The registry of every page: its URL, its query count, who may see it.

Each app has its own module here; tests/test_query_counts.py and tests/test_authorization.py
check that every URL of ours is registered, so a new page cannot skip either test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dxgrant.accounts.models import Role


@dataclass(frozen=True)
class Page:
    url: str
    queries: int
    role: str | None = None
    method: str = "get"
    data: dict = field(default_factory=dict)
    why: str = ""
    status: tuple[int, ...] = (200, 302)
    # Sign in as this user from make_objects() (e.g. "firm_admin") instead of a new user of `role`.
    user: str | None = None
    # A raw body posted as `content_type` instead of `data` (an API taking a file, e.g. a PDF).
    body: bytes | None = None
    content_type: str = ""


def posted(page: Page, objects: dict[str, object]) -> dict:
    """The page's form data, with "{name}" in a value filled from make_objects() (ids of rows
    the form names, such as a reviewer or an application)."""
    return {
        key: value.format(**objects) if isinstance(value, str) and "{" in value else value
        for key, value in page.data.items()
    }


ANON = "anonymous"
EVERYONE = [ANON, *Role.values]
PUBLIC = {who: 200 for who in EVERYONE}
STAFF_READ = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
SIGNED_IN = {ANON: 302} | {r: 200 for r in Role.values}
SIGNED_IN_SHOWN = "session; user"
