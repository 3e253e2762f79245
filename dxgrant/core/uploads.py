"""Checks every uploaded file goes through: its type is read from its content (never trusted from
the name or the browser), and its SHA-256 is taken for the record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import filetype
from django.core.files.base import File
from django.db import models, transaction

FORMAT_MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sniffed_type(file: File[Any], formats: Iterable[str]) -> str | None:
    """The file's MIME type by its content if it is one of `formats`, else None."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    allowed = {FORMAT_MIME[f] for f in formats if f in FORMAT_MIME}
    return str(kind.mime) if kind is not None and kind.mime in allowed else None


def sha256_of(file: File[Any]) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def save_upload(document: models.Model, file: File[Any], *, record: Callable[[], object]) -> None:
    """Store an uploaded file, then its row and what `record` writes with it (the audit entry) in
    one transaction. If that fails the stored file is removed: no row, no file, no orphan."""
    field = document.file  # type: ignore[attr-defined]
    field.save(file.name or "file", file, save=False)
    try:
        with transaction.atomic():
            document.save()
            record()
    except Exception:
        field.delete(save=False)
        raise
