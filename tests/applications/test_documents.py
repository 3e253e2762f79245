"""Required documents: checked by content and size, private downloads, deletion while editable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxgrant.applications import completeness, document_rules, workflow
from dxgrant.applications.models import Application, ApplicationDocument
from dxgrant.applications.services import documents
from dxgrant.integrity.models import AuditEntry
from tests.factories.applications import drafting
from tests.factories.files import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pdf(name: str = "登記事項証明書.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client: Client, app: Application, file: SimpleUploadedFile, code: str = "registry_certificate"):
    return client.post(f"/applications/{app.pk}/documents/upload/", {"code": code, "file": file})


def test_a_pdf_is_attached_and_downloaded_only_by_the_applications_people(programme, client_for):
    s = drafting(programme)
    other = drafting(programme, firm_name="別の支援会社")
    response = upload(client_of(s.applicant), s.application, pdf())
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert (
        document.sha256 and document.content_type == "application/pdf" and document.uploaded_by == s.applicant
    )
    assert AuditEntry.objects.filter(action="application.document_uploaded").count() == 1
    download = f"/applications/{s.application.pk}/documents/{document.pk}/"
    response = client_of(s.advisor).get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert client_of(other.advisor).get(download).status_code == 404
    # Through the other application's address, the document does not exist either.
    assert (
        client_of(other.advisor)
        .get(f"/applications/{other.application.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )
    assert client_for("applicant").get(download).status_code == 404
    assert Client().get(download).status_code == 302


def test_a_pdf_that_is_really_a_png_is_refused(programme):
    s = drafting(programme)
    response = upload(client_of(s.applicant), s.application, pdf("決算書.pdf", PNG_BYTES), code="tax_returns")
    assert response.status_code == 400
    body = response.content.decode()
    assert "PDF形式で提出してください" in body and "拡張子だけを変えたファイルは使えません" in body
    assert not ApplicationDocument.objects.exists()


def test_files_over_the_rounds_size_limit_are_refused(programme):
    s = drafting(programme)
    round_obj = s.application.round
    round_obj.application_rules = round_obj.application_rules | {"max_upload_mb": 1}
    round_obj.save(update_fields=["application_rules"])
    big = pdf(content=PDF_BYTES + b"0" * (1024 * 1024))
    response = upload(client_of(s.applicant), s.application, big)
    assert response.status_code == 400
    assert "1MB以下にしてください" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    # Exactly at the limit is fine.
    exact = pdf(content=PDF_BYTES + b"0" * (1024 * 1024 - len(PDF_BYTES)))
    assert upload(client_of(s.applicant), s.application, exact).status_code == 302


def test_quotations_are_not_uploaded_on_the_documents_page(programme):
    s = drafting(programme)
    with pytest.raises(ValidationError, match="書類の種類を選んでください"):
        documents.upload_document(actor=s.applicant, application=s.application, code="quotes", file=pdf())
    response = upload(client_of(s.applicant), s.application, pdf(), code="business_plan")
    assert response.status_code == 400
    assert not ApplicationDocument.objects.exists()


def test_delete_while_editable_and_not_after_submission(programme):
    s = drafting(programme)
    upload(client_of(s.applicant), s.application, pdf())
    upload(client_of(s.applicant), s.application, pdf("二通目.pdf"))
    first, second = ApplicationDocument.objects.order_by("id")
    response = client_of(s.advisor).post(f"/applications/{s.application.pk}/documents/{first.pk}/delete/")
    assert response.status_code == 302
    assert list(ApplicationDocument.objects.all()) == [second]
    Application.objects.filter(pk=s.application.pk).update(status=workflow.SUBMITTED)
    response = client_of(s.applicant).post(f"/applications/{s.application.pk}/documents/{second.pk}/delete/")
    assert response.status_code == 403
    assert ApplicationDocument.objects.filter(pk=second.pk).exists()
    with pytest.raises(PermissionDenied):
        documents.upload_document(
            actor=s.applicant,
            application=Application.objects.get(pk=s.application.pk),
            code="tax_returns",
            file=pdf(),
        )


def test_status_and_problems_name_each_missing_document(programme, django_assert_num_queries):
    s = drafting(programme)
    app = Application.objects.select_related("round").get(pk=s.application.pk)
    assert completeness.documents_status(app) == document_rules.NOT_STARTED
    with django_assert_num_queries(1):
        problems = completeness.documents_problems(app)
    assert "「納税証明書」が添付されていません。" in problems and len(problems) == 3
    documents.upload_document(actor=s.applicant, application=app, code="tax_certificate", file=pdf())
    assert completeness.documents_status(app) == document_rules.IN_PROGRESS
    for code in ("registry_certificate", "tax_returns"):
        documents.upload_document(actor=s.applicant, application=app, code=code, file=pdf())
    assert completeness.documents_problems(app) == []
    assert completeness.documents_status(app) == document_rules.COMPLETED


def test_the_page_lists_required_documents(programme):
    s = drafting(programme)
    page = client_of(s.applicant).get(f"/applications/{s.application.pk}/documents/").content.decode()
    assert "納税証明書" in page and "未添付" in page
    assert 'enctype="multipart/form-data"' in page
