"""At 390 px wide (a phone) tables are readable: the page itself never scrolls sideways, a table
wider than the screen sits in a scroll container that says so, and the public register stacks
each firm's facts as labelled rows instead of squeezing names to a character a line (issue 9,
item 15)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from dxgrant.accounts.models import Role
from tests.factories.accounts import signed_in
from tests.factories.advisors import certified_firm
from tests.factories.applications import fill_application, make_application
from tests.factories.support import representative_of

from .conftest import Site

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

# For every table: how far its right edge reaches past its visible box, whether it is inside a
# scroll container, and whether that container's hint is visible.
TABLES = """() => {
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  return Array.from(document.querySelectorAll("main table")).filter(visible).map((table) => {
    const box = table.closest(".table-scroll");
    const hint = box && box.querySelector(".scroll-hint");
    const limit = box ? box.getBoundingClientRect().right : window.innerWidth;
    return {
      caption: (table.caption && table.caption.textContent.trim()) || table.rows[0].textContent.trim().slice(0, 40),
      overflows: table.getBoundingClientRect().right > limit + 1,
      scrollable: !!box && box.scrollWidth > box.clientWidth,
      hinted: visible(hint) && hint.getBoundingClientRect().right <= window.innerWidth,
      // The narrowest cell that holds text (a column squeezed to a character or two a line).
      narrowest: Math.min(...Array.from(table.querySelectorAll("th, td"))
        .filter((c) => c.textContent.trim().length > 2).map((c) => c.getBoundingClientRect().width), 9999),
    };
  });
}"""


def sign_in(page: object, site: Site, client: Client) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(  # type: ignore[attr-defined]
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
    )


def readable(page: object, url: str) -> list[str]:
    """What is wrong with the page at phone width: sideways scrolling or unmarked cut tables."""
    page.goto(url)  # type: ignore[attr-defined]
    problems = []
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[attr-defined]
    if width[0] > width[1]:
        problems.append(f"{url}: the page is {width[0]} px wide on a {width[1]} px screen")
    for table in page.evaluate(TABLES):  # type: ignore[attr-defined]
        if table["overflows"] and not (table["scrollable"] and table["hinted"]):
            problems.append(f"{url}: table {table['caption']!r} is cut with no scroll hint")
        if table["narrowest"] < 60:
            problems.append(
                f"{url}: table {table['caption']!r} has a column {table['narrowest']:.0f} px wide"
            )
    return problems


def test_application_pages_are_readable_on_a_phone(
    page, site: Site, client_for: Callable[[str], Client], shot
) -> None:
    page.set_viewport_size(PHONE)
    app = fill_application(make_application(site.programme, status="drafting", receipt_number=None))
    sign_in(page, site, signed_in(representative_of(app.engagement)))
    problems = readable(page, site(f"/applications/{app.pk}/check/"))
    # The KPI table is on the page, and its last column can be reached.
    assert page.get_by_text("KPI", exact=False).count() > 0
    shot("check")
    page.context.clear_cookies()
    sign_in(page, site, client_for(Role.SECRETARIAT))
    problems += readable(page, site(f"/staff/applications/{app.pk}/"))
    problems += readable(page, site("/staff/applications/"))
    assert problems == [], "\n".join(problems)


def test_the_public_register_stacks_each_firm_on_a_phone(page, site: Site, shot) -> None:
    page.set_viewport_size(PHONE)
    certified_firm(site.programme, name="株式会社とても長い名前のデジタル経営支援コンサルティング")
    problems = readable(page, site("/advisors/"))
    assert problems == [], "\n".join(problems)
    shot("register")
    name = page.get_by_text("株式会社とても長い名前のデジタル経営支援コンサルティング")
    box = name.bounding_box()
    assert box is not None
    # The name gets most of the width: a few lines, not a character a line.
    assert box["width"] >= 200, box
    # Each fact is labelled in the stacked row.
    row = page.locator("main tbody tr").first
    assert "所在地" in row.inner_text()
    assert "有効期間" in row.inner_text()
