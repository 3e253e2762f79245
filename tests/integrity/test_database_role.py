"""The application's PostgreSQL role of docs/operations.md (scripts/postgres-app-role.sql) cannot
do what the issue did with the application's own database user: drop the audit log's trigger,
set it aside, or delete entries. It can still write the log the normal way."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import audit_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL role"),
]

SQL = Path(__file__).resolve().parents[2] / "scripts" / "postgres-app-role.sql"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
TABLE = AuditEntry._meta.db_table


def statements() -> list[str]:
    lines = [line for line in SQL.read_text().splitlines() if line.strip() and not line.startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def test_the_documented_sql_is_the_script():
    docs = DOCS.read_text()
    for statement in statements():
        assert statement in docs, statement


@pytest.mark.parametrize(
    "attempt",
    [
        f"DROP TRIGGER {TABLE}_append_only ON {TABLE}",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only",
        f"DELETE FROM {TABLE}",
        f"UPDATE {TABLE} SET action = 'forged'",
        f"TRUNCATE {TABLE}",
        "SET session_replication_role = replica",
        f"DROP TABLE {TABLE}",
    ],
)
def test_the_application_role_cannot_get_round_the_append_only_log(attempt):
    with transaction.atomic():
        audit_record(actor=None, action="test.before")
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE dxgrant_app NOLOGIN")
        for statement in statements():
            cursor.execute(statement)
        cursor.execute("SET LOCAL ROLE dxgrant_app")
    with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(attempt)
    # Adding entries, the application's normal use, still works as that role.
    with transaction.atomic():
        audit_record(actor=None, action="test.as_app_role")
    assert AuditEntry.objects.filter(action="test.as_app_role").exists()
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
