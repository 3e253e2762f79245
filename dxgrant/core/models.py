"""Shared building blocks: human-readable numbers issued in sequence."""

from __future__ import annotations

from django.db import models, transaction


class NumberSequence(models.Model):
    """The last number issued for a series, e.g. certification numbers of 2026.

    Numbers are taken with a row lock, so two requests never get the same one and a rolled-back
    transaction gives its number back.
    """

    series = models.CharField(max_length=50)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="number_sequence_once")]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"


def next_number(series: str, year: int) -> int:
    with transaction.atomic():
        NumberSequence.objects.get_or_create(series=series, year=year)
        sequence = NumberSequence.objects.select_for_update().get(series=series, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last
