import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_not_found_is_a_page_in_japanese(client, programme):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_forbidden_explains_the_reason(client_for, programme):
    response = client_for("applicant").get("/staff/inquiries/")
    assert response.status_code == 403
    assert "お問い合わせを閲覧する権限がありません" in response.content.decode()


def test_a_crash_shows_an_apology_with_a_reference_that_is_logged(programme, monkeypatch, caplog):
    from dxgrant.public.views import site as views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "_programme_context", lambda *a, **k: boom(None))
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="dxgrant.errors"):
        response = client.get("/faq/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "参照番号" in page
    reference = page.split("<strong>")[1].split("</strong>")[0]
    assert len(reference) == 12
    assert any(reference in record.getMessage() for record in caplog.records)
