"""Who may open which page: every page of ours, for an anonymous visitor and for each role."""

from __future__ import annotations

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from tests.factories import InquiryFactory
from tests.test_query_counts import PAGES, our_url_names

pytestmark = pytest.mark.django_db

ANON = "anonymous"
EVERYONE = [ANON, *Role.values]
PUBLIC = {who: 200 for who in EVERYONE}
STAFF_READ = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
SIGNED_IN = {ANON: 302} | {r: 200 for r in Role.values}

EXPECTED: dict[str, dict[str, int]] = {
    "public:home": PUBLIC,
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


def test_every_page_is_in_the_matrix():
    assert our_url_names() == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("who", EVERYONE)
def test_page_access(name, who, client_for, programme):
    inquiry = InquiryFactory()
    client = Client() if who == ANON else client_for(who)
    page = PAGES[name]
    url = page.url.format(inquiry=inquiry.pk)
    if page.method == "post":
        response = (
            client.post(url, page.data, content_type="application/json")
            if url.startswith("/api/")
            else client.post(url, page.data)
        )
    else:
        response = client.get(url)
    assert response.status_code == EXPECTED[name][who], (name, who, response.status_code)
    if response.status_code == 302 and EXPECTED[name] in (STAFF_READ, SIGNED_IN):
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize("who", EVERYONE)
def test_writes_only_by_the_secretariat(name, who, client_for, programme):
    from dxgrant.public.models import Inquiry

    inquiry = InquiryFactory()
    client = Client() if who == ANON else client_for(who)
    response = client.post(PAGES[name].url.format(inquiry=inquiry.pk), WRITES[name])
    changed = Inquiry.objects.get(pk=inquiry.pk).status != inquiry.status
    if who == Role.SECRETARIAT:
        assert response.status_code == 302 and changed
    else:
        assert response.status_code in (302, 403) and not changed
