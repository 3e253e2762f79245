"""Anyone checks a notice: the verification page (its facts; a PDF uploaded and compared byte
for byte), GET /api/v1/notices/{number} and POST /api/v1/notices/verify."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxgrant.awards.models import Notice
from dxgrant.awards.services import cancelling, issuing
from dxgrant.decisions.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(published, secretariat):
    _round, apps = published
    award = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk
    )
    rejection = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps["B"]).pk
    )
    return award, rejection


def pdf_of(notice: Notice) -> bytes:
    return notice.pdf.open("rb").read()


def changed(data: bytes) -> bytes:
    out = bytearray(data)
    out[len(out) // 2] ^= 0x01
    return bytes(out)


def test_api_notice_facts_name_the_company_for_awards_only(client, notices):
    award, rejection = notices
    body = client.get(f"/api/v1/notices/{award.number}").json()
    assert body == {
        "notice_number": award.number,
        "status": "valid",
        "kind": "award",
        "amount_yen": 6_000_000,
        "issued_on": award.issued_on.isoformat(),
        "company_name": "株式会社A",
    }
    body = client.get(f"/api/v1/notices/{rejection.number}").json()
    assert body["kind"] == "rejection" and body["company_name"] is None and body["amount_yen"] == 0
    assert "株式会社B" not in str(body)


def test_api_unknown_number_is_a_problem(client):
    response = client.get("/api/v1/notices/DXN-2026-999999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "No notice has this number."


def test_api_verify_exact_changed_and_cancelled(client, notices, secretariat):
    award, _rejection = notices
    data = pdf_of(award)
    body = client.post("/api/v1/notices/verify", data, content_type="application/pdf").json()
    assert body["valid"] is True and body["notice_number"] == award.number and body["status"] == "valid"
    body = client.post(
        "/api/v1/notices/verify", changed(data), content_type="application/pdf", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body == {
        "valid": False,
        "notice_number": None,
        "status": None,
        "reason": body["reason"],
    }
    assert "changed" in body["reason"]
    cancelling.cancel_notice(actor=secretariat, notice=award, reason="取消し")
    body = client.post("/api/v1/notices/verify", data, content_type="application/pdf").json()
    assert body["valid"] is False and body["status"] == "cancelled" and body["notice_number"] == award.number
    assert "取り消されています" in body["reason"]


def test_api_verify_refuses_other_types_empty_and_too_large(client, settings):
    response = client.post("/api/v1/notices/verify", {"a": 1}, content_type="application/json")
    assert response.status_code == 415
    assert "application/pdf" in response.json()["detail"]
    response = client.post(
        "/api/v1/notices/verify", b"", content_type="application/pdf", CONTENT_TYPE="application/pdf"
    )
    assert response.status_code == 400
    assert response.json()["title"] == "本文が空です"
    settings.DXGRANT_NOTICE_VERIFY_MAX_BYTES = 100
    response = client.post("/api/v1/notices/verify", b"%PDF" + b"0" * 200, content_type="application/pdf")
    assert response.status_code == 413
    assert "100バイト以内" in response.json()["detail"]


def test_page_shows_facts_without_personal_data_for_rejections(client, notices):
    award, rejection = notices
    page = client.get(f"/verify/notice/{award.number}").content.decode()
    assert award.number in page and "株式会社A" in page and "6,000,000円" in page and "有効" in page
    page = client.get(f"/verify/notice/{rejection.number}").content.decode()
    assert "不採択通知書" in page and "株式会社B" not in page
    assert client.get("/verify/notice/DXN-2026-999999").status_code == 404


def test_page_upload_exact_changed_other_and_missing(client, notices):
    award, rejection = notices
    url = f"/verify/notice/{award.number}"
    ok = client.post(url, {"file": SimpleUploadedFile("n.pdf", pdf_of(award), "application/pdf")})
    assert ok.status_code == 200
    assert "有効：発行した通知書と同一です。" in ok.content.decode()
    bad = client.post(url, {"file": SimpleUploadedFile("n.pdf", changed(pdf_of(award)), "application/pdf")})
    text = bad.content.decode()
    assert "無効" in text and "1バイトでも変更されていると一致しません" in text
    other = client.post(url, {"file": SimpleUploadedFile("n.pdf", pdf_of(rejection), "application/pdf")})
    assert f"別の通知書（{rejection.number}）" in other.content.decode()
    missing = client.post(url, {})
    assert missing.status_code == 400
    assert "確認する通知書のPDFファイルを選んでください。" in missing.content.decode()


def test_page_in_english(client, notices):
    award, _rejection = notices
    client.cookies["django_language"] = "en"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/verify/notice/{award.number}").content.decode()
    assert "Check a notice" in page


def test_published_results_carry_the_notice_number(client, published, secretariat):
    round_obj, apps = published
    body = client.get(f"/api/v1/rounds/{round_obj.code}/results").json()
    assert all("notice_number" not in e for e in body["entries"])
    award = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps["A"]).pk
    )
    issuing.issue_notice(actor=secretariat, decision_id=Decision.objects.get(application=apps["B"]).pk)
    body = client.get(f"/api/v1/rounds/{round_obj.code}/results").json()
    numbers = {e.get("company_name"): e.get("notice_number") for e in body["entries"]}
    assert numbers["株式会社A"] == award.number
    assert numbers["株式会社C"] is None  # awarded, notice not issued yet
    assert None in numbers and numbers[None] is None  # rejected entries name nothing
    page = client.get(f"/rounds/{round_obj.code}/results/").content.decode()
    assert f'href="/verify/notice/{award.number}"' in page
