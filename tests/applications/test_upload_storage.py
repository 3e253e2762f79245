"""An upload is stored with its row and audit entry, or not at all: a failure after the file was
written removes it again (core/uploads.save_upload, used by application and firm documents)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from dxgrant.applications.models import ApplicationDocument
from dxgrant.applications.services import documents
from tests.factories.applications import drafting
from tests.factories.files import PDF_BYTES

pytestmark = pytest.mark.django_db

PDF = PDF_BYTES


def test_a_failed_record_leaves_no_file_behind(programme, monkeypatch):
    s = drafting(programme)
    stored: list[str] = []
    original_save = default_storage.save

    def remember(name, content, max_length=None):  # type: ignore[no-untyped-def]
        stored.append(original_save(name, content, max_length=max_length))
        return stored[-1]

    monkeypatch.setattr(default_storage, "save", remember)

    def audit_fails(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(documents, "audit_record", audit_fails)
    # The failure is ours (not AuditOutsideTransaction or another RuntimeError of the code).
    with pytest.raises(RuntimeError, match="^the audit log is unavailable$"):
        documents.store_document(
            actor=s.applicant,
            application=s.application,
            code="registry_certificate",
            file=SimpleUploadedFile("登記簿.pdf", PDF, content_type="application/pdf"),
            content_type="application/pdf",
        )
    assert len(stored) == 1
    assert not default_storage.exists(stored[0])
    assert not ApplicationDocument.objects.exists()
