"""Search that works for Japanese (the staff application list): the folded text and its one- and
two-character pieces (dxgrant.core.search), filled for existing rows, and on PostgreSQL a GIN
index on the pieces so a search does not read the whole table."""

from django.db import migrations, models

from dxgrant.core.search import backfill, create_grams_index, on_postgresql

FIELDS = ["company_name", "company_name_kana", "corporate_number", "receipt_number"]
CREATE, DROP = create_grams_index("applications_application")


def fill(apps, schema_editor):
    backfill(apps.get_model("applications", "Application"), FIELDS)


def create_index(apps, schema_editor):
    on_postgresql(schema_editor, CREATE)


def drop_index(apps, schema_editor):
    on_postgresql(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_status_and_entity_type_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="search_grams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="application",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
