"""Fixtures for the browser tests: one Chromium per session, a fresh context and page per test.

The live server runs in another thread of this process, so the data it serves has to be
committed: the fixtures here use ``transactional_db`` (which ``live_server`` requires anyway)
rather than the ``programme`` fixture of tests/conftest.py, which sits on the rolled-back ``db``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

from dxgrant.programs.models import Programme
from dxgrant.programs.services.loading import load_programme_file
from tests.audit_triggers import drop_audit_triggers, restore_audit_triggers

# Also set by tests/conftest.py; repeated so this folder can run on its own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The live server, serving one request at a time when it shares the test's in-memory SQLite
    connection. A browser asks for a page and /favicon.ico at once; two request threads writing
    through one SQLite connection (each saves its session) interleave their savepoints ("no such
    savepoint") and break the test's transaction. On PostgreSQL each request thread has its own
    connection, and requests run in parallel as in production."""

    def set_app(self, application: Callable[..., object]) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, object], start_response: Callable[..., object]) -> object:
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeOnSharedSQLite

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous enough for a loaded CI box, short enough that a broken page fails fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def e2e_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        # Installed by scripts/system-packages.sh; a missing browser is a broken setup, not a skip.
        pytest.fail(f"{CHROMIUM} is not installed: run `make test` (or scripts/system-packages.sh)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
            # Playwright's sync API keeps an event loop running in this thread, so Django keeps
            # this thread's database connections in a context variable rather than the thread
            # local while it is open. Close those now: once the loop stops they would be out of
            # reach, left open, and the test database could not be dropped at the end.
            connections.close_all()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class Site:
    url: str
    programme: Programme

    def __call__(self, path: str = "/") -> str:
        return self.url.rstrip("/") + path


@pytest.fixture
def site(
    live_server: object, transactional_db: None, audit_triggers_back_after_module: None
) -> Iterator[Site]:
    """The live server with the programme definition loaded and committed."""
    restore_audit_triggers()  # the previous test's teardown dropped them
    programme = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme
    yield Site(url=live_server.url, programme=programme)  # type: ignore[attr-defined]
    # Torn down before transactional_db's flush, which would hit the triggers.
    drop_audit_triggers()


@pytest.fixture
def page(e2e_browser: object, site: Site) -> Iterator[object]:
    # A Japanese desktop browser in Japan; the site must not follow Accept-Language anyway.
    context = e2e_browser.new_context(  # type: ignore[attr-defined]
        base_url=site.url,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    violations: list[str] = []
    pg.on("console", lambda msg: _note_csp_violation(msg, violations))
    pg.csp_violations = violations  # type: ignore[attr-defined]
    try:
        yield pg
        # Every journey keeps the Content Security Policy: anything it blocked is a failure.
        violations.extend(csp_violations_in(pg))
        assert violations == [], f"Content Security Policy violations: {violations}"
    finally:
        context.close()


# Records what the browser's Content Security Policy blocked on the page (the event fires in
# the page; the console also reports it, which catches violations on pages since left).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.documentURI
    + (e.sample ? " (" + e.sample + ")" : ""));
});
"""


def _note_csp_violation(message: object, violations: list[str]) -> None:
    text = str(message.text)  # type: ignore[attr-defined]
    if "Content Security Policy" in text:
        violations.append(text)


def csp_violations_in(pg: object) -> list[str]:
    """The violations the current document reported so far."""
    try:
        found = pg.evaluate("() => window.__cspViolations || []")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a page that is gone (closed, downloading) reported to the console
        return []
    return list(found)


@pytest.fixture
def shot(page: object, artifacts_dir: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """shot("step-name") saves a full-page screenshot named after the test and the step."""
    test = re.sub(r"^test_", "", request.node.name)

    def take(step: str) -> Path:
        path = artifacts_dir / f"{test}--{step}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return take


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (`-m "not e2e"` leaves them out), marked or not."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)
