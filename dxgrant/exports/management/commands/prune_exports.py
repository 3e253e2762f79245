"""Delete background exports (file and row) older than DXGRANT_EXPORT_KEEP_DAYS days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from dxgrant.exports.models import ExportJob


class Command(BaseCommand):
    help = "Delete export files older than DXGRANT_EXPORT_KEEP_DAYS days (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(days=settings.DXGRANT_EXPORT_KEEP_DAYS)
        deleted = 0
        for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
            if job.file:
                job.file.delete(save=False)
            job.delete()
            deleted += 1
        self.stdout.write(f"{deleted} export(s) deleted")
