"""List exports (/staff/exports/): an export is allowed exactly when its list page is; a
background job's page and download are the requester's alone (404 for other staff, 403 for
roles that may export nothing)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.exports.models import ExportJob, ExportStatus
from tests.factories import UserFactory

from .base import ANON, STAFF_READ, Page

NAMESPACES = {"exports"}
SEEN = "session; user"
AUDIT = 3 if connection.vendor == "postgresql" else 2
HEADER = "programme (header)"
JOB = "the requester's job"

PAGES: dict[str, Page] = {
    "exports:export": Page(
        "/staff/exports/applications/xlsx/?prefecture=東京都",
        4 + AUDIT,
        Role.SECRETARIAT,
        why=f"{SEEN}; rows counted; audit entry (lock on PostgreSQL, head, insert); "
        "the rows with round and firm in one chunk",
    ),
    "exports:job": Page(
        "/staff/exports/jobs/{export_job}/",
        4,
        user="export_owner",
        why=f"{SEEN}; {JOB}; {HEADER}",
    ),
    "exports:download": Page(
        "/staff/exports/jobs/{export_job}/download/",
        3,
        user="export_owner",
        why=f"{SEEN}; {JOB}",
    ),
}

OWNER_ONLY = (
    {ANON: 302}
    | {r: 403 for r in Role.values}
    | {
        Role.SECRETARIAT: 404,
        Role.AUDITOR: 404,
        Role.FINANCE: 404,
    }
)

EXPECTED: dict[str, dict[str, int]] = {
    "exports:export": STAFF_READ,
    "exports:job": OWNER_ONLY,
    "exports:download": OWNER_ONLY,
}


def make_objects() -> dict[str, object]:
    owner = UserFactory(role=Role.SECRETARIAT)
    job = ExportJob.objects.create(
        requested_by=owner,
        list_code="applications",
        format="csv",
        status=ExportStatus.DONE,
        rows_done=1,
        rows_total=1,
    )
    job.file.save("applications.csv", ContentFile("\ufeff申請ID\r\n1\r\n".encode()), save=True)
    return {"export_job": job.pk, "export_owner": owner}
