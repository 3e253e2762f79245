"""The notice look-up limit (awards/limits.py): the verification page and the notices API share
one count per client address per minute; beyond it the page answers 429 with a message and no
notice, the API a 429 problem with Retry-After. Another address has its own count."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxgrant.awards.services import issuing
from dxgrant.decisions.models import Decision

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def award(published, secretariat, settings):
    settings.DXGRANT_NOTICE_LOOKUPS_PER_MINUTE = LIMIT
    _round, apps = published
    return issuing.issue_notice(actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk)


def test_the_page_refuses_the_look_up_beyond_the_limit(award, time_machine):
    time_machine.move_to("2026-11-30 10:00:05+09:00", tick=False)
    first, second = Client(REMOTE_ADDR="203.0.113.20"), Client(REMOTE_ADDR="203.0.113.21")
    url = f"/verify/notice/{award.number}"
    assert [first.get(url).status_code for _ in range(LIMIT)] == [200] * LIMIT
    refused = first.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "55"
    page = refused.content.decode()
    assert "短時間に多くの確認が行われたため、一時的に受け付けを停止しています。" in page
    assert "1分あたり3回まで" in page
    # Nothing of the notice is shown.
    assert 'id="notice-number"' not in page and "株式会社A" not in page
    # An upload is refused too, before the PDF is read.
    upload = first.post(
        url, {"file": SimpleUploadedFile("n.pdf", award.pdf.open("rb").read(), "application/pdf")}
    )
    assert upload.status_code == 429
    # Another address has its own count.
    assert second.get(url).status_code == 200
    # The next minute starts again.
    time_machine.move_to("2026-11-30 10:01:00+09:00", tick=False)
    assert first.get(url).status_code == 200


def test_the_page_says_it_in_english(award):
    client = Client(REMOTE_ADDR="203.0.113.22")
    client.cookies["django_language"] = "en"
    for _ in range(LIMIT):
        client.get(f"/verify/notice/{award.number}")
    refused = client.get(f"/verify/notice/{award.number}")
    assert refused.status_code == 429
    assert "Too many checks in a short time" in refused.content.decode()


def test_the_api_refuses_beyond_the_limit_with_a_problem(award):
    first, second = Client(REMOTE_ADDR="203.0.113.30"), Client(REMOTE_ADDR="203.0.113.31")
    url = f"/api/v1/notices/{award.number}"
    assert [first.get(url).status_code for _ in range(LIMIT)] == [200] * LIMIT
    refused = first.get(url)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["type"].endswith("rate-limited")
    assert "通知書の確認は1分あたり3回までです。" in body["detail"]
    assert "株式会社A" not in refused.content.decode()
    english = first.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "3 notice checks a minute" in english["detail"]
    assert second.get(url).status_code == 200


def test_page_and_api_share_one_count(award):
    client = Client(REMOTE_ADDR="203.0.113.40")
    pdf = award.pdf.open("rb").read()
    assert client.get(f"/verify/notice/{award.number}").status_code == 200
    assert client.get(f"/api/v1/notices/{award.number}").status_code == 200
    posted = client.post("/api/v1/notices/verify", pdf, content_type="application/pdf")
    assert posted.status_code == 200 and posted.json()["valid"] is True
    refused = client.post("/api/v1/notices/verify", pdf, content_type="application/pdf")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert client.get(f"/verify/notice/{award.number}").status_code == 429
