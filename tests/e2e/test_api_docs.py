"""The API documentation works without the internet (issue 9, item 10): Swagger UI's script and
styles come from the project's own static files, not a CDN. Every request that leaves the live
server is aborted, as on a machine with no network, and the docs must still render the API."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.e2e


def test_the_api_docs_render_with_the_network_closed(page: Page, site) -> None:  # type: ignore[no-untyped-def]
    ours = urlsplit(site.url).netloc
    outside: list[str] = []

    def only_the_site(route: Route) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_the_site)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(site("/api/v1/docs"))
    # Swagger UI has rendered the schema: the title and the operations of the API.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("dxgrant API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/programme")).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/rounds/{code}/eligibility-check")
    ).to_be_visible()
    assert outside == [], f"the docs asked for files outside the site: {outside}"
    assert failed == []
    assert page.js_errors == []  # type: ignore[attr-defined]
