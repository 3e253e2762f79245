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
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.payments import accepted_awards, park_due  # noqa: E402
from dxgrant.accounts.models import Role  # noqa: E402
from dxgrant.awards import zengin, zengin_results  # noqa: E402
from dxgrant.awards.models import BatchStatus, PaymentBatch  # noqa: E402
from dxgrant.awards.services import batches, settlement  # noqa: E402
from dxgrant.japan.business_days import add_business_days  # noqa: E402
from dxgrant.programs.services.loading import load_programme_file  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.factories.rounds import open_round  # noqa: E402

TRANSFERS = 10_000
REPEATS = 5
FAIL_EVERY = 1_000  # one transfer in a thousand comes back failed (code "1", 資金不足)
STEPS = ("prepare", "approve", "export", "import_results", "settle")
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


class Counted:
    """The statements sent while it is installed (an execute wrapper: every execute and
    executemany once), and the most repeated ones."""

    def __init__(self) -> None:
        self.count = 0
        self.shapes: Counter[str] = Counter()

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        self.shapes[sql[:160]] += 1
        return execute(sql, params, many, context)


@contextmanager
def measured(figures: dict[str, Any], *, memory: bool) -> Iterator[None]:
    """Time and count a step (`memory` False) or trace its peak Python memory (True)."""
    if memory:
        tracemalloc.start()
        try:
            yield
            figures["peak_bytes"] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return
    counted = Counted()
    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        yield
    figures["ms"] = (time.perf_counter() - started) * 1000
    figures["queries"] = counted.count
    figures["most_repeated"] = [[n, sql] for sql, n in counted.shapes.most_common(3)]


def result_file(content: bytes, fail_every: int = FAIL_EVERY) -> tuple[bytes, int]:
    """The bank's answer to `content`: code "0" in byte 114 of every data record, "1" in one of
    each `fail_every`; and how many failed."""
    records = content.split(b"\r\n")
    failed = 0
    position = zengin_results.RESULT_POSITION - 1
    for number in range(1, len(records) - 3):  # header first; trailer, end and "" last
        code = b"0"
        if number % fail_every == 0:
            code, failed = b"1", failed + 1
        record = records[number]
        records[number] = record[:position] + code + record[position + 1 :]
    return b"\r\n".join(records), failed


def payment_run(round_code: str, n: int, *, memory: bool) -> dict[str, Any]:
    """Load a round of `n` accepted awards, then run the five steps through the services."""
    programme = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme
    finance = UserFactory(role=Role.FINANCE)
    second = UserFactory(role=Role.FINANCE)
    park_due()
    started = time.perf_counter()
    awards = accepted_awards(programme, open_round(programme, code=round_code), n, by=finance)
    loaded_s = time.perf_counter() - started
    figures: dict[str, dict[str, Any]] = {step: {} for step in STEPS}
    transfer_date = add_business_days(timezone.localdate(), 1)
    holder: dict[str, Any] = {}

    def step(name: str, call: Callable[[], Any]) -> Any:
        with measured(figures[name], memory=memory):
            holder[name] = call()
        return holder[name]

    batch = step("prepare", lambda: batches.prepare_batch(actor=finance, transfer_date=transfer_date))
    assert batch.transfer_count == awards.instalments_due == n, (batch.transfer_count, n)
    assert batch.total_yen == awards.due_total_yen
    step("approve", lambda: batches.approve_batch(actor=second, batch=batch))
    content = step("export", lambda: batches.export_batch(actor=finance, batch=batch))
    parsed = zengin.read(content)
    assert len(parsed.data) == n and parsed.trailer.count == n
    assert parsed.trailer.total == awards.due_total_yen
    answer, failed = result_file(content)
    summary = step(
        "import_results",
        lambda: settlement.import_results(actor=finance, batch=batch, content=answer, filename="kekka.txt"),
    )
    assert (summary.ok, summary.failed, summary.changed) == (n - failed, failed, n), summary
    step("settle", lambda: settlement.settle_batch(actor=finance, batch=batch))
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.SETTLED
    return {
        "awards": n,
        "loaded_s": loaded_s,
        "transfers": batch.transfer_count,
        "total_yen": batch.total_yen,
        "bytes": len(content),
        "failed": failed,
        "steps": figures,
    }


def bench_services(n: int) -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        timed_run = payment_run("BENCH-PAY-1", n, memory=False)
        traced_run = payment_run("BENCH-PAY-2", n, memory=True)
    for step in STEPS:
        timed_run["steps"][step]["peak_bytes"] = traced_run["steps"][step]["peak_bytes"]
    timed_run["database"] = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
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
