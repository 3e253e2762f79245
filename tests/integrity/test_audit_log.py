import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from dxgrant.integrity.context import request_ip
from dxgrant.integrity.models import GENESIS_HASH, AuditEntry, AuditLogIsAppendOnly
from dxgrant.integrity.services import AuditOutsideTransaction, audit_record
from dxgrant.integrity.verification import verify_audit_chain

pytestmark = pytest.mark.django_db


@transaction.atomic
def _write(n: int) -> list[AuditEntry]:
    return [audit_record(actor=None, action=f"test.{i}", changes={"i": i, "名前": "山田"}) for i in range(n)]


def _tamper(sql: str, params: list) -> None:
    """Bypass the append-only triggers the way an intruder with database access would."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_entries_form_a_chain():
    entries = _write(3)
    assert entries[0].seq == 1 and entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    report = verify_audit_chain()
    assert report.ok and report.checked == 3


def test_the_ip_address_of_the_request_is_recorded(make_user):
    user = make_user()
    with request_ip("203.0.113.7"):
        with transaction.atomic():
            entry = audit_record(actor=user, action="test.ip", obj=user)
    assert entry.ip_address == "203.0.113.7"
    assert entry.actor_label == user.email
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(user.pk))


def test_changing_an_entry_is_refused_by_the_orm_and_by_the_database():
    entry = _write(1)[0]
    entry.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    for sql in (
        f"UPDATE {AuditEntry._meta.db_table} SET action = 'forged'",
        f"DELETE FROM {AuditEntry._meta.db_table}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.get().action == "test.0"


def test_verify_reports_the_first_entry_whose_content_was_changed():
    _write(5)
    _tamper(f"UPDATE {AuditEntry._meta.db_table} SET changes = %s WHERE seq = 3", ['{"i": 99}'])
    report = verify_audit_chain()
    assert not report.ok
    assert report.first_broken_seq == 3
    assert report.checked == 2


def test_verify_reports_a_deleted_entry():
    _write(4)
    _tamper(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 2", [])
    report = verify_audit_chain()
    assert report.first_broken_seq == 2
    assert "missing" in report.reason


def test_verify_reports_a_rewritten_chain_link():
    _write(3)
    _tamper(f"UPDATE {AuditEntry._meta.db_table} SET prev_hash = %s WHERE seq = 2", ["f" * 64])
    assert verify_audit_chain().first_broken_seq == 2


def test_the_command_succeeds_on_an_intact_chain_and_fails_on_a_broken_one(capsys):
    _write(2)
    call_command("verify_audit")
    assert "intact: 2 entries" in capsys.readouterr().out
    _tamper(f"UPDATE {AuditEntry._meta.db_table} SET action = 'x' WHERE seq = 1", [])
    with pytest.raises(CommandError, match="broken at entry #1"):
        call_command("verify_audit")


class ChangeFailed(Exception):
    pass


def test_an_audit_entry_rolls_back_with_the_change_it_records():
    # Its own exception: AuditOutsideTransaction is a RuntimeError too, and a refused entry
    # (never written) would leave the table empty just the same.
    with pytest.raises(ChangeFailed), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        assert AuditEntry.objects.filter(action="test.rolled_back").exists()
        raise ChangeFailed
    assert not AuditEntry.objects.exists()


def test_an_entry_outside_a_transaction_is_refused():
    """Nothing else proves an entry is written with the change it records: outside a
    transaction of the caller's own (the test's wrapping one does not count) it must refuse."""
    with pytest.raises(AuditOutsideTransaction):
        audit_record(actor=None, action="test.outside")
    assert not AuditEntry.objects.filter(action="test.outside").exists()
    with transaction.atomic():
        audit_record(actor=None, action="test.inside")
    assert AuditEntry.objects.filter(action="test.inside").count() == 1
