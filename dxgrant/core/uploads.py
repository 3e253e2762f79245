"""Checks every uploaded file goes through: its type is read from its content (never trusted from
the name or the browser), the file must then open as that type (a PDF parses and has a page, an
image decodes), and its SHA-256 is taken for the record. It is stored and served under the
extension of that real type. Requests larger than any upload are refused before their body is
read (`RequestSizeLimitMiddleware`)."""

from __future__ import annotations

import hashlib
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import File
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PasswordType, PdfReader

FORMAT_MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MIME_EXTENSION = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
# The part every Office Open XML file of the kind has.
OFFICE_MAIN_PART = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/workbook.xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/document.xml",
}


def sniffed_type(file: File[Any], formats: Iterable[str]) -> str | None:
    """The file's MIME type by its content if it is one of `formats`, else None."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    allowed = {FORMAT_MIME[f] for f in formats if f in FORMAT_MIME}
    return str(kind.mime) if kind is not None and kind.mime in allowed else None


def _pdf_problem(file: File[Any], name: str) -> str | None:
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return _(
                "「%(name)s」のPDFにはパスワードが掛かっているため開けません。"
                "パスワードを外したPDFを選んでください。"
            ) % {"name": name}
        if len(reader.pages) < 1:
            return _("「%(name)s」のPDFにページがありません。中身のあるPDFを選んでください。") % {
                "name": name
            }
        reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the page tree holds
    except Exception:  # noqa: BLE001 - a malformed PDF can raise almost anything inside pypdf
        return _(
            "「%(name)s」のファイルはPDFとして開けませんでした（壊れているか、PDFではないファイルです）。"
            "PDFとして保存し直してから選んでください。"
        ) % {"name": name}
    return None


def _image_problem(file: File[Any], mime: str, name: str) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format != IMAGE_FORMATS[mime]:
                    raise UnidentifiedImageError(image.format)
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of error for a broken image
        return _(
            "「%(name)s」の画像を読み込めませんでした（壊れているか、画像ではないファイルです）。"
            "PNGかJPEGで保存し直してから選んでください。"
        ) % {"name": name}
    return None


def _office_problem(file: File[Any], mime: str, name: str) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        parts = set()
    if "[Content_Types].xml" in parts and OFFICE_MAIN_PART[mime] in parts:
        return None
    return _(
        "「%(name)s」のファイルを開けませんでした（壊れているか、形式が違います）。保存し直してから選んでください。"
    ) % {"name": name}


def unreadable(file: File[Any], mime: str, *, name: str) -> str | None:
    """Why a file whose content starts like `mime` does not open as one (a message naming the
    document `name`), or None when it does. A file that begins with `%PDF-` and goes on as HTML
    is refused here."""
    file.seek(0)
    try:
        if mime == "application/pdf":
            return _pdf_problem(file, name)
        if mime in IMAGE_FORMATS:
            return _image_problem(file, mime, name)
        if mime in OFFICE_MAIN_PART:
            return _office_problem(file, mime, name)
        return None
    finally:
        file.seek(0)


def sha256_of(file: File[Any]) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def named_as(name: str, mime: str) -> str:
    """`name` with the extension of its real type: report.html that is a PDF is report.pdf."""
    extension = MIME_EXTENSION.get(mime, ".bin")
    stem = PurePath(name.replace("\\", "/")).name
    suffix = PurePath(stem).suffix
    if suffix and len(suffix) <= 6:
        stem = stem[: -len(suffix)]
    return (stem.strip(" .") or "file")[: 200 - len(extension)] + extension


def save_upload(document: models.Model, file: File[Any], *, record: Callable[[], object]) -> None:
    """Store an uploaded file under the extension of its checked type (the document's
    `content_type`), then its row and what `record` writes with it (the audit entry) in one
    transaction. If that fails the stored file is removed: no row, no file, no orphan."""
    field = document.file  # type: ignore[attr-defined]
    field.save(named_as(file.name or "file", str(getattr(document, "content_type", ""))), file, save=False)
    try:
        with transaction.atomic():
            document.save()
            record()
    except Exception:
        field.delete(save=False)
        raise


# --- The size of a request ------------------------------------------------------------------------


def max_request_bytes() -> int:
    return int(settings.DXGRANT_MAX_REQUEST_MB) * 1024 * 1024


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """Answer 413 for a request whose declared length is over DXGRANT_MAX_REQUEST_MB, before
    anything reads its body (Django reads no more than Content-Length, so the declaration is what
    bounds the work). The form checks of each document's own limit come after, on smaller files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request) > max_request_bytes():
            body = render_to_string("413.html", {"max_mb": settings.DXGRANT_MAX_REQUEST_MB}, request=request)
            return HttpResponse(body, status=413)
        return self.get_response(request)
