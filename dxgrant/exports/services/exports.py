"""Exporting a list: recording a streamed export, and asking for one to run in the background."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import registry, tasks
from ..columns import ListExport
from ..models import ExportFormat, ExportJob


def _checked(actor: User, code: str, fmt: str) -> ListExport:
    export = registry.get(code)
    if export is None:
        raise PermissionDenied(_("この一覧は書き出せません。"))
    export.policy(actor).require()
    if fmt not in ExportFormat.values:
        raise ValidationError(
            {"format": _("形式は CSV、CSV（Shift_JIS）、xlsx のいずれかを選んでください。")}
        )
    return export


@transaction.atomic
def record_download(*, actor: User, code: str, fmt: str, params: Mapping[str, str], rows: int) -> ListExport:
    """An export small enough to stream: checked and written to the audit log before the first byte.

    Callers: whoever may open the list page (the export's policy). Refused: an unknown list or format."""
    export = _checked(actor, code, fmt)
    audit_record(
        actor=actor,
        action="exports.downloaded",
        object_type="exports.list",
        object_id=code,
        changes={"format": fmt, "params": dict(params), "rows": rows},
    )
    return export


@transaction.atomic
def request_export(*, actor: User, code: str, fmt: str, params: Mapping[str, str]) -> ExportJob:
    """An export to run on the task worker; the requester follows it on the job page.

    Callers: whoever may open the list page (the export's policy). Refused: an unknown list or format."""
    _checked(actor, code, fmt)
    job = ExportJob.objects.create(
        requested_by=actor,
        list_code=code,
        params=dict(params),
        format=fmt,
        language=(get_language() or "ja")[:2],
    )
    audit_record(
        actor=actor,
        action="exports.requested",
        obj=job,
        changes={"list": code, "format": fmt, "params": dict(params)},
    )
    enqueue_on_commit(tasks.run_export, job.pk)
    return job
