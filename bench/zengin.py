"""The 全銀 総合振込 export, timed: 10,000 transfers written as one file (120-byte Shift_JIS
records, CRLF) and read back field by field. No database: the writer is pure
(`dxgrant/awards/zengin.py`); the export service adds one read of the batch's transfers.
`python bench/zengin.py [--out result.json]`.

Each figure is the median of five runs, in milliseconds; the transfers (random 全銀 names,
bank codes and amounts from a fixed seed) are built before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxgrant.config.settings.test")

import django  # noqa: E402

django.setup()

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = bench_export()
    print(
        f"zengin: {result['transfers']:,} transfers → {result['bytes']:,} bytes "
        f"(total {result['total_yen']:,} yen): written in {result['write_ms']:.0f} ms, "
        f"read back in {result['read_ms']:.0f} ms"
    )
    if args.out:
        args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
