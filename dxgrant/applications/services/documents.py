"""Documents attached to the application (添付書類): the round's required uploads, checked by
document_rules.py, stored privately and served only through a permission check
(views/documents.py). Quotations (見積書) are attached to budget lines by services/budget.py
with the same checks and `store_document`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.uploads import save_upload, sha256_of
from dxgrant.integrity.services import audit_record

from ..document_rules import check_upload, upload_specs
from ..models import Application, ApplicationDocument, BudgetLine
from ..policies import can_edit_content


def lock_editable(actor: User, application: Application) -> Application:
    """The application locked for a change of its content, with its round; PermissionDenied
    unless `actor` may edit it now."""
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    )
    can_edit_content(actor, locked).require()
    return locked


def store_document(
    *,
    actor: User,
    application: Application,
    code: str,
    file: UploadedFile,
    content_type: str,
    budget_line: BudgetLine | None = None,
    supplier: str = "",
    quoted_amount_yen: int | None = None,
) -> ApplicationDocument:
    """Write the file and its row (a quotation with its supplier and amount); the caller holds the application lock and has checked the file.
    A failure removes the written file, so no orphan is left behind."""
    document = ApplicationDocument(
        application=application,
        code=code,
        budget_line=budget_line,
        original_name=(file.name or "file")[-255:],
        content_type=content_type,
        size=file.size or 0,
        sha256=sha256_of(file),
        supplier=supplier,
        quoted_amount_yen=quoted_amount_yen,
        uploaded_by=actor,
    )
    save_upload(
        document,
        file,
        record=lambda: audit_record(
            actor=actor,
            action="application.document_uploaded",
            obj=application,
            changes={
                "document": document.pk,
                "code": code,
                "budget_line": budget_line.pk if budget_line else None,
                "sha256": document.sha256,
                "size": document.size,
                **({"supplier": supplier, "amount_yen": quoted_amount_yen} if budget_line else {}),
            },
        ),
    )
    return document


@transaction.atomic
def upload_document(
    *, actor: User, application: Application, code: str, file: UploadedFile
) -> ApplicationDocument:
    """Attach one of the round's required documents. The applicant's people or an advisor of the
    firm in good standing, while the application is editable. Refuses unknown codes, files over
    the round's size limit and files whose content is not an allowed format."""
    locked = lock_editable(actor, application)
    spec = next((d for d in upload_specs(locked.round) if d.code == code), None)
    if spec is None:
        raise ValidationError({"code": [_("書類の種類を選んでください。")]})
    content_type = check_upload(file, spec=spec, round_obj=locked.round)
    return store_document(actor=actor, application=locked, code=code, file=file, content_type=content_type)


@transaction.atomic
def delete_document(*, actor: User, document: ApplicationDocument) -> None:
    """Remove an attached file (a document or a quotation) while the application is editable.
    The file itself is removed after the commit, so a rollback keeps it."""
    locked = lock_editable(actor, document.application)
    name = document.file.name
    storage = document.file.storage
    audit_record(
        actor=actor,
        action="application.document_deleted",
        obj=locked,
        changes={
            "document": document.pk,
            "code": document.code,
            "budget_line": document.budget_line_id,
            "sha256": document.sha256,
        },
    )
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
