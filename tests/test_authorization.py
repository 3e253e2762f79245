"""Who may open which page: every page of ours, for an anonymous visitor and for each role."""

from __future__ import annotations

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from tests.factories import InquiryFactory
from tests.pages import ANON, EVERYONE, EXPECTED, PAGES, SIGNED_IN, STAFF_READ, WRITES
from tests.pages.base import posted
from tests.test_query_counts import our_url_names

pytestmark = pytest.mark.django_db


def test_every_page_is_in_the_matrix():
    assert our_url_names() == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("who", EVERYONE)
def test_page_access(name, who, client_for, page_objects):
    objects = page_objects
    client = Client() if who == ANON else client_for(who)
    page = PAGES[name]
    url = page.url.format(**objects)
    if page.body is not None:
        response = client.post(url, page.body, content_type=page.content_type)
    elif page.method == "post":
        response = (
            client.post(url, posted(page, objects), content_type="application/json")
            if url.startswith("/api/")
            else client.post(url, posted(page, objects))
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
