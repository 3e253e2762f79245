"""The audit chain is keyed (HMAC-SHA-256 with DXGRANT_AUDIT_KEY) from now on: an existing chain
hashed with plain SHA-256 is checked and re-hashed with the key, once (integrity/rekey.py).
A broken old chain stops the migration: investigate with the previous release's
`dxgrant verify-audit` before upgrading (docs/operations.md)."""

from django.db import migrations

from dxgrant.integrity.rekey import rekey_plain_chain


def rekey(apps, schema_editor):
    rekey_plain_chain(apps.get_model("integrity", "AuditEntry"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("integrity", "0002_append_only_triggers")]
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
