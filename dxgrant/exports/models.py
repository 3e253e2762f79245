"""An export too large to stream at once: run by the task worker, with progress, and a file in
private storage that only the person who asked for it may download (views/jobs.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV（UTF-8・Excel用）")
    CSV_SJIS = "csv-sjis", _("CSV（Shift_JIS）")
    XLSX = "xlsx", _("Excel（xlsx）")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


EXTENSIONS = {ExportFormat.CSV: "csv", ExportFormat.CSV_SJIS: "csv", ExportFormat.XLSX: "xlsx"}


def export_path(job: ExportJob, filename: str) -> str:
    return f"exports/{job.requested_by_id}/{job.pk}-{filename}"


class ExportJob(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    language = models.CharField(max_length=8, default="ja")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    replaced_chars = models.PositiveIntegerField(default=0)  # characters Shift_JIS cannot hold (〓)
    file = models.FileField(upload_to=export_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values), name="export_job_format_valid"
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.list_code}.{self.format} #{self.pk}"

    @property
    def percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    @property
    def running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
