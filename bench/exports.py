"""List exports through the background job's code path (exports/tasks.run_export, run by the
task backend as the worker would): time and peak Python memory (tracemalloc) for the
applications list as CSV, CSV Shift_JIS and xlsx, at a small and a large number of applications
in one run, so the ratios cancel out the machine. Time and memory are taken in separate runs
(tracemalloc slows Python down).

Usage: .venv/bin/python bench/exports.py [--small 5000] [--large 50000] [--out result.json]
(both sizes well above one 2,000-row chunk, so a peak that held the rows would show)
On PostgreSQL: bash scripts/with-postgres.sh .venv/bin/python bench/exports.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DXGRANT_DATABASE_URL" not in os.environ:
    os.environ["DXGRANT_DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='dxgrant-bench-')}/exports.sqlite3"
    )
os.environ["DJANGO_SETTINGS_MODULE"] = "dxgrant.config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.generate import Generator  # noqa: E402
from bench.run import exports_section  # noqa: E402
from dxgrant.accounts.models import Role  # noqa: E402
from dxgrant.applications.models import Application  # noqa: E402
from dxgrant.exports import tasks  # noqa: E402
from dxgrant.exports.models import ExportFormat, ExportJob, ExportStatus  # noqa: E402
from dxgrant.programs.services.loading import load_programme_file  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.factories.rounds import open_round  # noqa: E402

FORMATS = (ExportFormat.CSV, ExportFormat.CSV_SJIS, ExportFormat.XLSX)


def export_once(user: Any, fmt: str, *, memory: bool) -> dict[str, Any]:
    """One background export of the whole applications list, as the worker runs it."""
    job = ExportJob.objects.create(requested_by=user, list_code="applications", params={}, format=fmt)
    if memory:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    tasks.run_export.enqueue(job.pk)  # the immediate backend runs it here, as the worker would
    ms = (time.perf_counter() - started) * 1000
    peak = 0
    if memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    size = job.file.size
    job.file.delete(save=False)
    return {"ms": ms, "peak_bytes": peak, "rows": job.rows_done, "bytes": size}


def measure(user: Any) -> dict[str, Any]:
    out = {}
    for fmt in FORMATS:
        timed = export_once(user, fmt, memory=False)
        traced = export_once(user, fmt, memory=True)
        timed["peak_bytes"] = traced["peak_bytes"]
        out[str(fmt)] = timed
        print(
            f"  {fmt}: {timed['rows']:,} rows, {timed['ms']:,.0f} ms, "
            f"peak {timed['peak_bytes'] / 1_048_576:.1f} MiB, {timed['bytes']:,} bytes",
            flush=True,
        )
    return out


def run(small: int, large: int) -> dict[str, Any]:
    """On disk, as in production: the test settings' in-memory storage would hold the whole file
    and make the peak memory grow with it."""
    files = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp()},
    }
    with override_settings(STORAGES={**settings.STORAGES, "default": files}):
        return _run(small, large)


def _run(small: int, large: int) -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    programme = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme
    generator = Generator(programme, open_round(programme))
    generator.add_firms(max(10, large // 40))
    user = UserFactory(role=Role.SECRETARIAT)
    generator.add_applications(small)
    sizes = {"small": Application.objects.count()}
    print(f"exports: {sizes['small']:,} applications", flush=True)
    at_small = measure(user)
    generator.add_applications(large - sizes["small"])
    sizes["large"] = Application.objects.count()
    print(f"exports: {sizes['large']:,} applications", flush=True)
    at_large = measure(user)
    database = "PostgreSQL" if "postgres" in os.environ["DXGRANT_DATABASE_URL"] else "SQLite"
    return {"database": database, "sizes": sizes, "small": at_small, "large": at_large}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = run(args.small, args.large)
    print("\n".join(exports_section([result])))
    if args.out:
        args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
