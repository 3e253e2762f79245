"""What the round's rules say about the documents attached to an application (添付書類), without
the database: the round's list of required uploads, each file checked by its content (not its
name) and its size. Quotations (見積書) belong to budget lines and get the same checks. The
writes are services/documents.py and services/budget.py."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.core.uploads import sniffed_type, unreadable
from dxgrant.programs.models import Round
from dxgrant.programs.schema import Document

QUOTES = "quotes"
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
# When the programme file names no quotation document.
DEFAULT_QUOTE_SPEC = Document(
    code=QUOTES, name_ja="見積書", name_en="Quotation", upload=True, formats=["pdf"]
)


def upload_specs(round_obj: Round) -> list[Document]:
    """The documents uploaded on the documents page (quotations go with their budget lines)."""
    return [d for d in round_obj.rules.documents if d.upload and d.code != QUOTES]


def quote_spec(round_obj: Round) -> Document:
    return next((d for d in round_obj.rules.documents if d.code == QUOTES), DEFAULT_QUOTE_SPEC)


def max_upload_mb(round_obj: Round) -> int:
    return round_obj.rules.application.max_upload_mb


def max_upload_bytes(round_obj: Round) -> int:
    return max_upload_mb(round_obj) * 1024 * 1024


def format_names(spec: Document) -> str:
    return "・".join(f.upper() for f in spec.formats)


def check_upload(file: UploadedFile, *, spec: Document, round_obj: Round) -> str:
    """The file's MIME type, read from its content; ValidationError (Japanese) when the file is
    too large, empty, not one of the document's formats whatever its name says, or does not open
    as that format (a PDF that does not parse or has no page, an image that does not decode)."""
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": [_("ファイルが空です。")]})
    if size > max_upload_bytes(round_obj):
        raise ValidationError(
            {
                "file": [
                    _("ファイルが大きすぎます。%(mb)sMB以下にしてください。")
                    % {"mb": max_upload_mb(round_obj)}
                ]
            }
        )
    mime = sniffed_type(file, list(spec.formats))
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
    problem = unreadable(file, mime, name=localised(spec, "name"))
    if problem:
        raise ValidationError({"file": [problem]})
    return mime


# --- What is left (the task list and the documents page) --------------------------------------


def problems(round_obj: Round, uploaded_codes: Collection[str]) -> list[str]:
    """Required documents not yet attached."""
    return [
        _("「%(name)s」が添付されていません。") % {"name": localised(spec, "name")}
        for spec in upload_specs(round_obj)
        if spec.code not in uploaded_codes
    ]


def status(round_obj: Round, uploaded_codes: Collection[str]) -> str:
    """not_started (nothing attached), in_progress or completed."""
    codes = set(uploaded_codes)
    required = {spec.code for spec in upload_specs(round_obj)}
    if not codes & required:
        return NOT_STARTED if required else COMPLETED
    return COMPLETED if required <= codes else IN_PROGRESS
