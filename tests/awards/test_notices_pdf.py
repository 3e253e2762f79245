"""The notice as a document: what it prints (read back from the PDF), its QR code, its PAdES
signature validated with pyHanko against the test root, and a changed byte breaking it."""

from __future__ import annotations

import io

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from dxgrant.awards import notice_pdf, signing
from dxgrant.awards.services import issuing
from dxgrant.decisions.models import Decision
from dxgrant.japan import wareki

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        .replace(" ", "")
        .replace("\n", "")
    )


def issued(published, secretariat, name):
    _round, apps = published
    notice = issuing.issue_notice(
        actor=secretariat, decision_id=Decision.objects.get(application=apps[name]).pk
    )
    return notice, notice.pdf.open("rb").read()


def test_award_notice_prints_number_dates_company_amount_and_conditions(published, secretariat):
    round_obj, apps = published
    apps["A"].corporate_number = "1234567890123"
    apps["A"].save(update_fields=["corporate_number"])
    notice, data = issued(published, secretariat, "A")
    text = text_of(data)
    assert "交付決定通知書" in text
    assert notice.number in text
    assert wareki.format_date(notice.issued_on) in text
    assert f"{notice.issued_on.year}年{notice.issued_on.month}月{notice.issued_on.day}日" in text
    assert "株式会社A" in text
    assert "1234567890123" in text and notice.corporate_number == "1234567890123"
    assert "6,000,000円" in text
    for condition in round_obj.rules.awards.conditions:
        assert condition.title_ja.replace(" ", "") in text
    assert f"/verify/notice/{notice.number}" in text


def test_rejection_notices_give_the_reason(published, secretariat):
    round_obj, _apps = published
    _notice, budget = issued(published, secretariat, "B")
    text = text_of(budget)
    assert "不採択通知書" in text
    assert "予算額に収まらなかった" in text
    assert "交付条件" not in text
    _notice, floor = issued(published, secretariat, "D")
    text = text_of(floor)
    floor_name = next(c.name_ja for c in round_obj.rules.rubric if c.code == "scale")
    assert "基準点" in text and f"「{floor_name}」" in text


def test_the_qr_code_points_at_the_verification_page(settings):
    settings.DXGRANT_SITE_URL = "https://grant.example.jp"
    url = notice_pdf.verification_url("DXN-2026-000001")
    assert url == "https://grant.example.jp/verify/notice/DXN-2026-000001"
    assert notice_pdf.qr_data_uri(url).startswith("data:image/svg+xml")


def test_the_signature_is_valid_and_a_changed_byte_breaks_it(published, secretariat, signing_root):
    _notice, data = issued(published, secretariat, "A")
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(signing_root))])
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    assert signature.field_name == signing.FIELD_NAME
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    changed = bytearray(data)
    changed[300] ^= 0x01
    broken = validate_pdf_signature(PdfFileReader(io.BytesIO(bytes(changed))).embedded_signatures[0], context)
    assert not broken.intact
    assert not broken.bottom_line


def test_an_untrusted_root_is_not_trusted(published, secretariat):
    _notice, data = issued(published, secretariat, "A")
    context = ValidationContext(trust_roots=[])
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(data)).embedded_signatures[0], context)
    assert status.intact and not status.trusted


def test_missing_certificate_is_a_clear_error(settings, tmp_path):
    settings.DXGRANT_SIGNING_CERT = str(tmp_path / "none.pem")
    with pytest.raises(signing.SigningNotConfigured, match="DXGRANT_SIGNING_CERT"):
        signing.sign_pdf(b"%PDF-1.7")


def test_ensure_self_signed_creates_once(tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    assert signing.ensure_self_signed(cert, key)
    first = cert.read_bytes()
    assert not signing.ensure_self_signed(cert, key)
    assert cert.read_bytes() == first
    assert oct(key.stat().st_mode & 0o777) == "0o600"
