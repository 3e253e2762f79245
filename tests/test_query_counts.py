"""Every page's database queries are counted; list pages must not grow with the data.

Counts are exact so that a new query shows up as a failure to look at, with the statements listed.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import InquiryFactory
from tests.factories.rounds import open_round
from tests.pages import NAMESPACES, PAGES, Page
from tests.pages.base import posted

pytestmark = pytest.mark.django_db


# Namespaces whose pages are ours to count (allauth and the Django admin are counted by their projects).
OUR_NAMESPACES = NAMESPACES


def our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in OUR_NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names | {"set_language"}


def test_every_page_has_a_query_count():
    missing = our_url_names() - set(PAGES)
    assert not missing, f"pages without a query-count test: {sorted(missing)}"


def request(client_for, client, page: Page, **fmt):
    if page.user:
        c = Client()
        c.force_login(fmt[page.user])
    else:
        c = client_for(page.role) if page.role else client
    url = page.url.format(**{k: v for k, v in fmt.items() if not hasattr(v, "pk")})
    # Warm up: sign-in session, caches and lazy imports are not what we count.
    c.get("/robots-warmup-404")
    with CaptureQueriesContext(connection) as ctx:
        if page.body is not None:
            response = c.post(url, page.body, content_type=page.content_type)
        elif page.method == "post":
            data = posted(page, fmt)
            body = json.dumps(data) if url.startswith("/api/") else data
            kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
            response = getattr(c, page.method)(url, body, **kwargs)
        else:
            response = c.get(url)
    assert response.status_code in page.status, (url, response.status_code)
    return [
        q
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_query_count(name, client, client_for, page_objects):
    objects = page_objects
    page = PAGES[name]
    # Savepoints (the per-request transaction inside the test's own) are not counted.
    ctx = request(client_for, client, page, **objects)
    statements = "\n".join(q["sql"] for q in ctx)
    assert len(ctx) == page.queries, (
        f"{name}: {len(ctx)} queries, expected {page.queries} ({page.why})\n{statements}"
    )


def more_inquiries(programme, make_user) -> None:
    InquiryFactory.create_batch(60, assignee=make_user("secretariat"))


def more_rounds(programme, make_user) -> None:
    for n in range(20):
        open_round(programme, f"dx-more-{n}")


# Each list page grows with the data it lists (inquiries on the inbox, rounds on the schedule
# and the API): more of anything else could not show a query per row.
GROWS = {
    "staff:inquiry_inbox": more_inquiries,
    "public:schedule": more_rounds,
    "api-v1:programme": more_rounds,
}


@pytest.mark.parametrize("name", sorted(GROWS))
def test_list_pages_stay_flat_as_data_grows(name, client, client_for, page_objects, programme, make_user):
    page = PAGES[name]
    objects = page_objects
    small = len(request(client_for, client, page, **objects))
    GROWS[name](programme, make_user)
    large = len(request(client_for, client, page, **objects))
    assert small == large
