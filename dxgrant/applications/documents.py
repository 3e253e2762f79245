"""Documents attached to the application (添付書類): the round's list of required uploads, each
file checked by its content (not its name) and its size, stored privately and served only
through a permission check (document_views.py). Quotations (見積書) belong to budget lines and
are handled by budget.py with the same checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.core.uploads import save_upload, sha256_of, sniffed_type
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .models import Application, ApplicationDocument, BudgetLine
from .policies import can_edit_content

QUOTES = "quotes"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
# Formats named in the programme file → the MIME type the file's content must show.


def upload_specs(round_obj: Round) -> list[dict[str, Any]]:
    """The documents uploaded on the documents page (quotations go with their budget lines)."""
    return [d for d in round_obj.documents if d.get("upload") and d.get("code") != QUOTES]


def quote_spec(round_obj: Round) -> dict[str, Any]:
    spec = next((d for d in round_obj.documents if d.get("code") == QUOTES), None)
    return spec or {"code": QUOTES, "name_ja": "見積書", "name_en": "Quotation", "formats": ["pdf"]}


def max_upload_bytes(round_obj: Round) -> int:
    return int(round_obj.application_rules.get("max_upload_mb", 10)) * 1024 * 1024


def format_names(spec: dict[str, Any]) -> str:
    return "・".join(f.upper() for f in spec.get("formats", []))


def check_upload(file: UploadedFile, *, spec: dict[str, Any], round_obj: Round) -> str:
    """The file's MIME type, read from its content; ValidationError (Japanese) when the file is
    too large, empty or not one of the document's formats whatever its name says."""
    limit = max_upload_bytes(round_obj)
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": [_("ファイルが空です。")]})
    if size > limit:
        raise ValidationError(
            {
                "file": [
                    _("ファイルが大きすぎます。%(mb)sMB以下にしてください。")
                    % {"mb": round_obj.application_rules.get("max_upload_mb", 10)}
                ]
            }
        )
    mime = sniffed_type(file, spec.get("formats", []))
    if mime is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "「%(name)s」は%(formats)s形式で提出してください（ファイルの中身を確認しました。"
                        "拡張子だけを変えたファイルは使えません）。"
                    )
                    % {"name": localised(spec, "name"), "formats": format_names(spec)}
                ]
            }
        )
    return mime


def _lock_editable(actor: Any, application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    )
    allowed, reason = can_edit_content(actor, locked)
    if not allowed:
        raise PermissionDenied(reason)
    return locked


def store_document(
    *,
    actor: Any,
    application: Application,
    code: str,
    file: UploadedFile,
    content_type: str,
    budget_line: BudgetLine | None = None,
) -> ApplicationDocument:
    """Write the file and its row; the caller holds the application lock and has checked the file.
    A failure removes the written file, so no orphan is left behind."""
    document = ApplicationDocument(
        application=application,
        code=code,
        budget_line=budget_line,
        original_name=(file.name or "file")[-255:],
        content_type=content_type,
        size=file.size or 0,
        sha256=sha256_of(file),
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
            },
        ),
    )
    return document


@transaction.atomic
def upload_document(
    *, actor: Any, application: Application, code: str, file: UploadedFile
) -> ApplicationDocument:
    """Attach one of the round's required documents. The applicant's people or an advisor of the
    firm in good standing, while the application is editable. Refuses unknown codes, files over
    the round's size limit and files whose content is not an allowed format."""
    locked = _lock_editable(actor, application)
    spec = next((d for d in upload_specs(locked.round) if d["code"] == code), None)
    if spec is None:
        raise ValidationError({"code": [_("書類の種類を選んでください。")]})
    content_type = check_upload(file, spec=spec, round_obj=locked.round)
    return store_document(actor=actor, application=locked, code=code, file=file, content_type=content_type)


@transaction.atomic
def delete_document(*, actor: Any, document: ApplicationDocument) -> None:
    """Remove an attached file (a document or a quotation) while the application is editable.
    The file itself is removed after the commit, so a rollback keeps it."""
    locked = _lock_editable(actor, document.application)
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


# --- For the task list ------------------------------------------------------------------------


def _uploaded_codes(application: Application) -> set[str]:
    return set(
        application.documents.filter(budget_line__isnull=True).values_list("code", flat=True).distinct()
    )


def documents_problems(application: Application) -> list[str]:
    """Required documents not yet attached, in Japanese. One query."""
    codes = _uploaded_codes(application)
    return [
        _("「%(name)s」が添付されていません。") % {"name": localised(spec, "name")}
        for spec in upload_specs(application.round)
        if spec["code"] not in codes
    ]


def documents_status(application: Application) -> str:
    """not_started (nothing attached), in_progress or completed. One query."""
    codes = _uploaded_codes(application)
    required = {spec["code"] for spec in upload_specs(application.round)}
    if not codes & required:
        return NOT_STARTED if required else COMPLETED
    return COMPLETED if required <= codes else IN_PROGRESS
