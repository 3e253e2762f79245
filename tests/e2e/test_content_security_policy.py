"""The Content Security Policy, in a real browser: every page of ours, opened by every role, is
served with a strict policy (no inline script or style, no eval) and nothing on it is blocked.

The pages come from the registry (tests/pages), with the objects its URLs name; a page is opened
by each role that may see it and by one role for each way of being refused (403, 404, sign-in),
so the navigation each role sees and the error pages are covered too. The journeys in this folder
check the same on every page they visit, with htmx at work (see conftest.page).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from dxgrant.accounts.models import Role
from tests.pages import ANON, EXPECTED, PAGES, make_objects

from .conftest import Site, csp_violations_in

pytestmark = pytest.mark.e2e

# Not HTML: a PDF opens the browser's viewer, JSON is read by programs.
NOT_HTML = (".pdf", ".json", "/api/v1/programme", "/api/v1/postal-codes/", "/favicon.ico")
# Pages of Django and allauth that people of ours meet.
OTHERS = {
    ANON: ["/accounts/login/", "/accounts/password/reset/", "/no-such-page/"],
    Role.APPLICANT: ["/accounts/password/change/", "/accounts/2fa/", "/accounts/2fa/totp/activate/"],
    Role.SECRETARIAT: ["/accounts/2fa/", "/accounts/2fa/recovery-codes/"],
}


def policy_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_the_policy_is_strict(client, programme):
    """What the header says, read as a browser reads it."""
    response = client.get("/")
    header = response.headers.get("Content-Security-Policy", "")
    policy = policy_directives(header)
    assert policy, "no Content-Security-Policy header"
    for directive in ("script-src", "style-src"):
        assert policy.get(directive) == ["'self'"], (directive, policy.get(directive))
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header


# Files sent as attachments: a list export (small ones stream straight back), an export job's
# download, a results report's evidence.
FILES = {"exports:export", "exports:download", "results_report:evidence"}


def pages_for(role: str) -> list[tuple[str, str]]:
    """(name, url template) of every HTML page this role opens in the sweep."""
    chosen = []
    for name, page in sorted(PAGES.items()):
        if page.method != "get" or any(marker in page.url for marker in NOT_HTML):
            continue
        if name.endswith(":document_download") or name.startswith("decisions:export") or name in FILES:
            continue  # a file sent as an attachment
        # A page registered in a second state ("decisions:committee (decided)") is refused and
        # allowed as its URL name is.
        expected = EXPECTED[name.split(" (")[0]]
        status = expected[role]
        # The roles allowed in see the page; of those refused, one per kind of refusal.
        first_refused = next(who for who, code in expected.items() if code == status)
        if status == 200 or first_refused == role:
            chosen.append((name, page.url))
    return chosen


def sign_in(page: object, site: Site, client: Client) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(  # type: ignore[attr-defined]
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
    )


@pytest.mark.parametrize("role", [ANON, *Role.values])
def test_every_page_keeps_the_policy(role: str, page, site: Site, client_for: Callable[[str], Client]):
    objects = make_objects()
    if role != ANON:
        sign_in(page, site, client_for(role))
    urls = [(name, template.format(**objects)) for name, template in pages_for(role)]
    urls += [("other", url) for url in OTHERS.get(role, [])]
    assert urls
    problems: list[str] = []
    for name, url in urls:
        response = page.goto(site(url))
        assert response is not None, url
        header = response.headers.get("content-security-policy", "")
        if "text/html" in response.headers.get("content-type", ""):
            if "'self'" not in header or "unsafe-inline" in header:
                problems.append(f"{name} {url}: policy {header!r}")
        page.wait_for_load_state("load")
        problems += [f"{name} {url}: {v}" for v in csp_violations_in(page)]
    problems += page.csp_violations
    page.csp_violations.clear()
    assert problems == [], "\n".join(problems)
