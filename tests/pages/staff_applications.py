"""The secretariat's application pages (/staff/applications/): list, detail, PDF_BYTES, version
differences, a filed version, and the acts (begin screening, return for correction).

Secretariat and auditors read everything; only the secretariat acts (auditors get 403 with the
reason); every other role gets 403; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from tests.factories.applications import fill_application, make_application, make_version

from .base import ANON, STAFF_READ, Page

NAMESPACES = {"staff_applications"}

SEEN = "session; user"
# An audit entry is two statements, plus the advisory lock that serialises appends on PostgreSQL.
AUDIT = 3 if connection.vendor == "postgresql" else 2
WRITE = "audit lock (PostgreSQL only); audit head; audit insert"
HEADER = "programme (header)"
APPLICATION = "application with round, firm, engagement and lead advisor (visibility in a subquery)"
FULL = "plan sections; budget lines; their quotes; documents; declarations; declaration texts"

PAGES: dict[str, Page] = {
    "staff_applications:list": Page(
        "/staff/applications/",
        6,
        Role.SECRETARIAT,
        why=f"{SEEN}; one page of applications with round and firm (keyset, no OFFSET); "
        f"refused duplicates with round, firm, person; {HEADER}; rounds (filter). The firm filter is "
        "a search field: no query for firms, whatever their number",
    ),
    "staff_applications:firm_suggestions": Page(
        "/staff/applications/firms/?firm=dx",
        3,
        Role.SECRETARIAT,
        why=f"{SEEN}; up to ten firms the text names that have applications",
    ),
    "staff_applications:detail": Page(
        "/staff/applications/{staff_application}/",
        14,
        Role.SECRETARIAT,
        why=f"{SEEN}; {APPLICATION}; versions with submitter; returns with author and version; "
        f"files with budget line and uploader; {FULL}; audit history; {HEADER}",
    ),
    "staff_applications:pdf": Page(
        "/staff/applications/{staff_application}/application.pdf",
        9,
        Role.AUDITOR,
        why=f"{SEEN}; {APPLICATION}; {FULL}",
    ),
    "staff_applications:diff": Page(
        "/staff/applications/{staff_application}/diff/",
        5,
        Role.SECRETARIAT,
        why=f"{SEEN}; {APPLICATION}; versions; {HEADER}",
    ),
    "staff_applications:version": Page(
        "/staff/applications/{staff_application}/versions/1/",
        6,
        Role.AUDITOR,
        why=f"{SEEN}; {APPLICATION}; the version with submitter; declaration texts; {HEADER}",
    ),
    "staff_applications:begin_screening": Page(
        "/staff/applications/{staff_application}/begin-screening/",
        5 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; {APPLICATION}; application locked; update; {WRITE}",
    ),
    "staff_applications:return": Page(
        "/staff/applications/{staff_application}/return/",
        4,
        Role.SECRETARIAT,
        why=f"{SEEN}; {APPLICATION}; {HEADER}",
    ),
}

READ = STAFF_READ
ACT_GET = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 200}
ACT_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "staff_applications:list": READ,
    "staff_applications:firm_suggestions": READ,
    "staff_applications:detail": READ,
    "staff_applications:pdf": READ,
    "staff_applications:diff": READ,
    "staff_applications:version": READ,
    "staff_applications:begin_screening": ACT_POST,
    "staff_applications:return": ACT_GET,
}


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    application = fill_application(make_application(programme, company_name="ページ一覧用の申請株式会社"))
    make_version(application)
    return {"staff_application": application.pk}
