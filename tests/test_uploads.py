"""Uploaded files (issue 9, items 3 and 29): a file must open as the type its content claims, is
stored and served under the extension of that type, and a request too large for any upload is
refused before its body is read."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxgrant.advisors.models import FirmDocument
from dxgrant.applications.document_rules import check_upload, quote_spec
from dxgrant.applications.models import ApplicationDocument
from tests.factories.accounts import signed_in
from tests.factories.advisors import draft_firm
from tests.factories.applications import drafting
from tests.factories.files import (
    BROKEN_PNG,
    HTML_AS_PDF,
    PDF_BYTES,
    PDF_WITH_PASSWORD,
    PDF_WITHOUT_PAGES,
    PNG_BYTES,
)

pytestmark = pytest.mark.django_db

NOT_A_PDF = "PDFとして開けませんでした"


def client_of(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def pdf(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload_document(
    client: Client, application, name: str, content: bytes, code: str = "registry_certificate"
):  # type: ignore[no-untyped-def]
    return client.post(
        f"/applications/{application.pk}/documents/upload/", {"code": code, "file": pdf(name, content)}
    )


# --- Item 3: a file must open as what it claims to be ---------------------------------------------


def test_html_behind_a_pdf_header_is_refused_as_an_application_document(programme):
    s = drafting(programme)
    response = upload_document(client_of(s.applicant), s.application, "登記.pdf", HTML_AS_PDF)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "「履歴事項全部証明書（法人）／開業届の写し（個人事業主）」のファイルはPDFとして開けませんでした"
        in page
    )
    assert not ApplicationDocument.objects.exists()


def test_html_behind_a_pdf_header_is_refused_as_a_quotation(programme):
    s = drafting(programme)
    round_obj = s.application.round
    with pytest.raises(ValidationError) as refused:
        check_upload(pdf("見積書.pdf", HTML_AS_PDF), spec=quote_spec(round_obj), round_obj=round_obj)
    assert NOT_A_PDF in str(refused.value.message_dict["file"])
    assert check_upload(pdf("見積書.pdf", PDF_BYTES), spec=quote_spec(round_obj), round_obj=round_obj) == (
        "application/pdf"
    )


def test_html_behind_a_pdf_header_is_refused_as_a_registration_document(programme):
    firm = draft_firm(programme)
    response = signed_in(firm.created_by).post(
        f"/advisors/registration/{firm.pk}/documents/",
        {"code": "registry_certificate", "file": pdf("touki.pdf", HTML_AS_PDF)},
    )
    assert response.status_code == 400
    assert NOT_A_PDF in response.content.decode()
    assert not FirmDocument.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(PDF_WITHOUT_PAGES, "PDFにページがありません", id="no-pages"),
        pytest.param(PDF_WITH_PASSWORD, "パスワードが掛かっているため開けません", id="password"),
    ],
)
def test_a_pdf_without_pages_or_behind_a_password_is_refused_saying_so(programme, content, message):
    s = drafting(programme)
    response = upload_document(client_of(s.applicant), s.application, "登記.pdf", content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_an_image_must_decode(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    url = f"/advisors/registration/{firm.pk}/documents/"
    broken = client.post(
        url, {"code": "qualifications", "file": SimpleUploadedFile("shikaku.png", BROKEN_PNG, "image/png")}
    )
    assert broken.status_code == 400 and "画像を読み込めませんでした" in broken.content.decode()
    good = client.post(
        url, {"code": "qualifications", "file": SimpleUploadedFile("shikaku.png", PNG_BYTES, "image/png")}
    )
    assert good.status_code == 302
    assert FirmDocument.objects.get().content_type == "image/png"


# --- Item 29: stored and served under the extension of the real type ------------------------------


def test_a_pdf_named_html_is_stored_and_served_as_pdf(programme):
    s = drafting(programme)
    client = client_of(s.applicant)
    assert upload_document(client, s.application, "report.html", PDF_BYTES).status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.file.name.endswith(".pdf") and "report" in document.file.name
    assert document.original_name == "report.html"  # what the uploader called it stays on record
    response = client.get(f"/applications/{s.application.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_registration_document_is_served_under_its_real_extension(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    client.post(
        f"/advisors/registration/{firm.pk}/documents/",
        {"code": "registry_certificate", "file": pdf("touki.html", PDF_BYTES)},
    )
    document = FirmDocument.objects.get()
    assert document.file.name.endswith(".pdf")
    response = client.get(f"/advisors/registration/{firm.pk}/documents/{document.pk}/")
    assert 'filename="touki.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Item 29: too large to read ---------------------------------------------------------------------


BOUNDARY = "BoUnDaRy"


class Body(io.RawIOBase):
    """A multipart upload of one PDF of `file_size` bytes that records how much of it the server
    read, and stops the test past a megabyte: a server that refuses by Content-Length reads none."""

    def __init__(self, file_size: int) -> None:
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="code"\r\n\r\nregistry_certificate\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode() + PDF_BYTES
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = len(self.head) + (file_size - len(PDF_BYTES)) + len(self.tail)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def _byte_range(self, start: int, n: int) -> bytes:
        out = bytearray()
        body_end = self.size - len(self.tail)
        for position in range(start, start + n):
            if position < len(self.head):
                out.append(self.head[position])
            elif position < body_end:
                out.append(10)
            else:
                out.append(self.tail[position - body_end])
        return bytes(out)

    def read(self, n: int | None = -1) -> bytes:
        n = self.size - self.read_bytes if n is None or n < 0 else min(n, self.size - self.read_bytes)
        if self.read_bytes + n > 1024 * 1024:
            raise AssertionError(
                f"the server read past {self.read_bytes:,} bytes of the body before refusing it"
            )
        chunk = self._byte_range(self.read_bytes, n)
        self.read_bytes += n
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(min(size, 8192) if size and size > 0 else 8192)


@pytest.mark.parametrize("size_mb", [150, 12])
def test_a_request_over_the_cap_is_refused_before_its_body_is_read(programme, size_mb):
    s = drafting(programme)
    body = Body(size_mb * 1024 * 1024)
    response = client_of(s.applicant).generic(
        "POST",
        f"/applications/{s.application.pk}/documents/upload/",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.size),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    page = response.content.decode()
    assert "送信したデータが大きすぎます" in page and "11MB" in page and "何も保存していません" in page
    assert not ApplicationDocument.objects.exists()


def test_a_request_just_under_the_cap_reaches_the_form_and_its_own_limit(programme):
    """10 MB and a little is under the request cap (11 MB): the form's own 10 MB message says it."""
    s = drafting(programme)
    big = PDF_BYTES + b"\n" * (10 * 1024 * 1024)
    response = upload_document(client_of(s.applicant), s.application, "big.pdf", big)
    assert response.status_code == 400 and "10MB以下にしてください" in response.content.decode()
