"""The 全銀 総合振込 export, timed: `python bench/zengin.py [--transfers N] [--out result.json]`.

1. The pure writer and reader (`dxgrant/awards/zengin.py`), no database: 10,000 transfers written
   as one file (120-byte Shift_JIS records, CRLF) and read back field by field. Each figure is the
   median of five runs, in milliseconds; the transfers (random 全銀 names, bank codes and amounts
   from a fixed seed) are built before the clock starts.

2. The path finance uses, through the services, on a fresh database (a temporary SQLite file, or
   DXGRANT_DATABASE_URL: `bash scripts/with-postgres.sh .venv/bin/python bench/zengin.py`): a
   decided round of 10,000 accepted awards, each with a ready payee account and one due
   instalment, is bulk-loaded before the clock (bench/payments.py); then `prepare_batch` (every
   due instalment into one batch), `approve_batch` by a second finance user, `export_batch` (the
   file is read back: 10,000 data records, the trailer's total the instalments' total),
   `import_results` with the bank's result file (the exported file with a result code in byte
   114 of each record, one transfer in a thousand failed) and `settle_batch`. Each step once.

   Every step is run twice, on two such rounds (the failed instalments of the first, due again,
   are parked before the second): the first run gives the wall time and the statements sent
   (counted by an execute wrapper: CaptureQueriesContext keeps only the last 9,000), the second
   the peak Python memory (tracemalloc, which slows what it traces, so not timed). Emails are
   queued as in production (django-tasks' database backend: one row per task), not sent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DXGRANT_DATABASE_URL" not in os.environ:
    os.environ["DXGRANT_DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='dxgrant-bench-')}/zengin.sqlite3"
    )
os.environ["DJANGO_SETTINGS_MODULE"] = "dxgrant.config.settings.test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.payments import STEPS, payment_run  # noqa: E402
from dxgrant.awards import zengin  # noqa: E402

TRANSFERS = 10_000
REPEATS = 5
_KANA = [chr(c) for c in range(0xFF71, 0xFF9E)]

HEADER = zengin.Header(
    requester_code="1234567890",
    requester_name="ｼﾔ)DXｽｲｼﾝｷﾖｳｶｲ",
    transfer_mmdd="0415",
    bank_code="0001",
    bank_name="ﾐｽﾞﾎ",
    branch_code="001",
    branch_name="ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ",
    account_type="1",
    account_number="1234567",
)


def transfers(count: int = TRANSFERS) -> list[zengin.Data]:
    rng = random.Random(11)
    return [
        zengin.Data(
            bank_code=f"{rng.randrange(1, 10000):04d}",
            bank_name="".join(rng.choices(_KANA, k=rng.randint(3, 15))),
            branch_code=f"{rng.randrange(1, 1000):03d}",
            branch_name="".join(rng.choices(_KANA, k=rng.randint(3, 15))),
            account_type=rng.choice("124"),
            account_number=f"{rng.randrange(10**7):07d}",
            payee_name="ｶ)" + "".join(rng.choices(_KANA, k=rng.randint(4, 28))),
            amount=rng.randrange(100, 100_000) * 100,
            customer_code1=n + 1,
        )
        for n in range(count)
    ]


def timed(fn: Any) -> tuple[float, Any]:
    runs = []
    result = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), result


def bench_export() -> dict[str, Any]:
    data = transfers()
    write_ms, content = timed(lambda: zengin.write(zengin.build(HEADER, data)))
    read_ms, parsed = timed(lambda: zengin.read(content))
    assert parsed.data == tuple(data)
    return {
        "transfers": len(data),
        "bytes": len(content),
        "total_yen": parsed.trailer.total,
        "write_ms": write_ms,
        "read_ms": read_ms,
    }


def bench_services(n: int) -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        timed_run = payment_run("BENCH-PAY-1", n, memory=False)
        traced_run = payment_run("BENCH-PAY-2", n, memory=True)
    for step in STEPS:
        timed_run["steps"][step]["peak_bytes"] = traced_run["steps"][step]["peak_bytes"]
    timed_run["database"] = "PostgreSQL" if "postgres" in os.environ["DXGRANT_DATABASE_URL"] else "SQLite"
    return timed_run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transfers", type=int, default=TRANSFERS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = bench_export()
    print(
        f"zengin: {result['transfers']:,} transfers → {result['bytes']:,} bytes "
        f"(total {result['total_yen']:,} yen): written in {result['write_ms']:.0f} ms, "
        f"read back in {result['read_ms']:.0f} ms"
    )
    services = bench_services(args.transfers)
    print(
        f"zengin services on {services['database']}: {services['transfers']:,} transfers "
        f"(total {services['total_yen']:,} yen, {services['failed']} failed), "
        f"loaded in {services['loaded_s']:.0f} s"
    )
    for step, f in services["steps"].items():
        print(
            f"  {step}: {f['ms']:,.0f} ms, {f['queries']:,} statements, "
            f"peak {f['peak_bytes'] / 1_048_576:.1f} MiB; most repeated: {f['most_repeated'][0]}"
        )
    result["services"] = services
    if args.out:
        args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
