"""Background exports: a job claimed once (queued → running), written to a temporary file with its
progress saved every 500 rows, then stored privately. Reads through the registry, never services."""

from __future__ import annotations

import logging
import tempfile

from django.core.files import File
from django.utils import timezone, translation
from django_tasks import task

from . import output, registry, writers
from .models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)


@task()
def run_export(job_id: int) -> None:
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # run already (a retried or duplicated task)
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job_id)
    with translation.override(job.language):
        export = registry.get(job.list_code)
        try:
            if export is None or not export.policy(job.requested_by):
                raise PermissionError(str(translation.gettext("この一覧を書き出す権限がありません。")))
            queryset = export.queryset(job.requested_by, job.params)
            jobs.update(rows_total=queryset.count())
            stats = writers.EncodeStats()
            with tempfile.TemporaryFile() as spool:
                output.write(
                    export,
                    job.format,
                    queryset,
                    spool,
                    stats=stats,
                    on_progress=lambda done: jobs.update(rows_done=done),
                    params=job.params,
                )
                spool.seek(0)
                job.file.save(output.filename(export, job.format), File(spool), save=False)
        except Exception as exc:  # the job page says what went wrong; the worker keeps running
            logger.exception("export job %s failed", job_id)
            jobs.update(status=ExportStatus.FAILED, error=str(exc)[:1000], finished_at=timezone.now())
            return
        jobs.update(
            status=ExportStatus.DONE,
            file=job.file.name,
            rows_done=stats.rows,
            rows_total=stats.rows,
            replaced_chars=stats.replaced,
            finished_at=timezone.now(),
        )
