"""Transactional tests (browser tests, threads) and the append-only audit log.

The audit log refuses UPDATE/DELETE (and TRUNCATE on PostgreSQL) with database triggers, so the
flush that ends every transactional test fails. The triggers are dropped just before that flush
and put back afterwards, so other tests in the session still see an append-only log.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.db import connection

_triggers = importlib.import_module("dxgrant.integrity.migrations.0002_append_only_triggers")


class _RawSQL:
    """The part of a schema editor the trigger migration uses."""

    connection = connection

    @staticmethod
    def execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def restore_audit_triggers() -> None:
    _triggers.drop_triggers(None, _RawSQL)
    _triggers.create_triggers(None, _RawSQL)


def drop_audit_triggers() -> None:
    """Just before the closing flush of a transactional test."""
    _triggers.drop_triggers(None, _RawSQL)


@pytest.fixture(scope="module")
def audit_triggers_back_after_module(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    with django_db_blocker.unblock():
        restore_audit_triggers()


@pytest.fixture
def flushable_audit_log(transactional_db: None) -> Iterator[None]:
    """The append-only triggers, back for the test and out of the way of its closing flush."""
    restore_audit_triggers()
    yield
    drop_audit_triggers()


# The marks of a module of real-thread tests against PostgreSQL.
POSTGRES_THREADS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_triggers_back_after_module", "flushable_audit_log"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite's in-memory test database refuses a second writer "
        "instead of letting it wait, so threads would test the setup, not the application",
    ),
]
