"""The review's pure arithmetic, timed: the assignment of 10,000 applications × 3 reviewers across
100 reviewers (with 2% of the pairs in conflict), and the ranking of a round of 200,000 reviewed
applications within its budget. No database: `python bench/review.py [--out result.json]`.

Each figure is the median of five runs, in milliseconds; the inputs are built before the clock
starts and drawn from fixed seeds, so runs are comparable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dxgrant.review import assignment, ranking  # noqa: E402

APPLICATIONS = 10_000
PER_APPLICATION = 3
REVIEWERS = 100
ROUND_SIZE = 200_000
BUDGET_YEN = 3_000_000_000
REPEATS = 5


def timed(fn: Any) -> tuple[float, Any]:
    runs = []
    result = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), result


def bench_assignment() -> dict[str, Any]:
    rng = random.Random(1)
    apps = list(range(APPLICATIONS))
    reviewers = list(range(REVIEWERS))
    conflicts = {(app, rng.randrange(REVIEWERS)) for app in apps for _ in range(2)}
    ms, result = timed(
        lambda: assignment.assign(
            apps, reviewers, per_application=PER_APPLICATION, conflicts=conflicts, seed=2026
        )
    )
    loads = result.loads.values()
    return {
        "ms": ms,
        "pairs": len(result.pairs),
        "short": len(result.short),
        "load_spread": max(loads) - min(loads),
    }


def bench_ranking() -> dict[str, Any]:
    rng = random.Random(2)
    start = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    entries = [
        ranking.Entry(
            application_id=i,
            score=Decimal(rng.randint(2000, 10000)) / 100,
            submitted_at=start + dt.timedelta(seconds=rng.randrange(120 * 86400)),
            proposed_yen=rng.randrange(1_000, 100_001) * 1000,
            outcome_by_rule="fundable" if rng.random() < 0.9 else "disqualified",
        )
        for i in range(1, ROUND_SIZE + 1)
    ]
    ms, result = timed(lambda: ranking.rank(entries, BUDGET_YEN))
    return {"ms": ms, "entries": len(entries), "funded": result.funded_count}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = {"assignment": bench_assignment(), "ranking": bench_ranking()}
    a, r = result["assignment"], result["ranking"]
    print(
        f"assignment: {APPLICATIONS:,} × {PER_APPLICATION} across {REVIEWERS} reviewers: {a['ms']:.0f} ms "
        f"({a['pairs']:,} pairs, {a['short']} short, loads within {a['load_spread']})"
    )
    print(
        f"ranking: {r['entries']:,} entries within {BUDGET_YEN:,} yen: {r['ms']:.0f} ms ({r['funded']:,} funded)"
    )
    if args.out:
        args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
