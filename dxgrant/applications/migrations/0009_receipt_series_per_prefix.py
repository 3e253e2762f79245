"""Receipt numbers are counted per prefix and year (they were counted per round, and two rounds
sharing a prefix issued the same number). Each prefix's series starts after the highest number
already issued under it."""

from __future__ import annotations

import re

from django.db import migrations

RECEIPT = re.compile(r"^([A-Z]{1,5})-(\d{4})-(\d+)$")


def carry_over(apps, schema_editor):  # type: ignore[no-untyped-def]
    Application = apps.get_model("applications", "Application")
    NumberSequence = apps.get_model("core", "NumberSequence")
    highest: dict[tuple[str, int], int] = {}
    for number in Application.objects.exclude(receipt_number=None).values_list("receipt_number", flat=True):
        match = RECEIPT.match(number or "")
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    for (prefix, year), last in highest.items():
        sequence, _created = NumberSequence.objects.get_or_create(series=f"receipt-{prefix}", year=year)
        if sequence.last < last:
            sequence.last = last
            sequence.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_screening"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
