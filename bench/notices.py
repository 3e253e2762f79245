"""Signed notices per second per worker: `python bench/notices.py [--notices N] [--out result.json]`.

A fresh SQLite database (or DXGRANT_DATABASE_URL) is migrated; a round of N reviewed applications
is decided and published through the services; then one process (one worker) issues every notice
through `awards.services.issuing.issue_pending`, the job's own loop: number, render (WeasyPrint),
sign (PAdES, pyHanko, RSA 2048 with a throwaway certificate), store, transition, audit. Rendering
and signing are also timed alone (median of five) to show where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
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
        f"sqlite:///{tempfile.mkdtemp(prefix='dxgrant-bench-')}/notices.sqlite3"
    )
os.environ["DJANGO_SETTINGS_MODULE"] = "dxgrant.config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from dxgrant.accounts.models import Role  # noqa: E402
from dxgrant.awards import notice_pdf, signing  # noqa: E402
from dxgrant.awards.models import NoticeRun  # noqa: E402
from dxgrant.awards.services import issuing  # noqa: E402
from dxgrant.decisions.models import Decision  # noqa: E402
from dxgrant.decisions.services import deciding, meetings, publishing  # noqa: E402
from dxgrant.programs.services.loading import load_programme_file  # noqa: E402
from tests.decisions.builders import all_at, reviewed, reviewers  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.factories.rounds import open_round  # noqa: E402

REPEATS = 5


def published_round(n: int) -> Any:
    programme = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme
    secretariat = UserFactory(role=Role.SECRETARIAT)
    round_obj = open_round(programme)
    round_obj.budget_yen = 10_000_000 * n
    round_obj.save(update_fields=["budget_yen"])
    people = reviewers(3)
    for i in range(n):
        reviewed(
            programme,
            round_obj,
            eligible_yen=6_000_000,
            scores=[all_at(round_obj, 4)] * 3,
            people=people,
            secretariat=secretariat,
            company_name=f"株式会社ベンチ{i:04d}",
        )
    meetings.record_meeting(
        actor=secretariat, round_obj=round_obj, held_on=timezone.localdate(), members="委員", minutes="議事"
    )
    deciding.decide_round(actor=secretariat, round_obj=round_obj)
    publishing.publish_round(actor=secretariat, round_obj=round_obj)
    return round_obj, secretariat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=int(os.environ.get("BENCH_NOTICES", "30")))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dxgrant-bench-signing-"))
    settings.DXGRANT_SIGNING_CERT = str(folder / "cert.pem")
    settings.DXGRANT_SIGNING_KEY = str(folder / "key.pem")
    settings.DXGRANT_SIGNING_CHAIN = ""
    signing.ensure_self_signed(Path(settings.DXGRANT_SIGNING_CERT), Path(settings.DXGRANT_SIGNING_KEY))
    call_command("migrate", verbosity=0)
    round_obj, secretariat = published_round(args.notices)
    # Render and sign alone, on the first decision (nothing stored).
    decision = Decision.objects.select_related("application", "round_decision__round").first()
    assert decision is not None
    printed = notice_pdf.Printed(
        "DXN-2026-000000", "award", timezone.localdate(), "株式会社ベンチ", "", 6_000_000
    )
    notice_pdf.signed_notice(printed, decision, round_obj)  # warm up: fonts, templates, the key
    render_runs, sign_runs = [], []
    pdf = b""
    for _ in range(REPEATS):
        started = time.perf_counter()
        pdf = notice_pdf.render_notice(printed, decision, round_obj)
        render_runs.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        signed = signing.sign_pdf(pdf)
        sign_runs.append((time.perf_counter() - started) * 1000)
    run = NoticeRun.objects.create(round=round_obj, requested_by=secretariat)
    started = time.perf_counter()
    issued = issuing.issue_pending(run)
    seconds = time.perf_counter() - started
    result = {
        "notices": issued,
        "seconds": seconds,
        "per_second": issued / seconds,
        "render_ms": statistics.median(render_runs),
        "sign_ms": statistics.median(sign_runs),
        "pdf_bytes": len(signed),
        "database": "PostgreSQL" if "postgres" in os.environ["DXGRANT_DATABASE_URL"] else "SQLite",
    }
    print(
        f"bench notices: {issued} signed notices issued in {seconds:.1f} s by one worker: "
        f"{result['per_second']:.2f} per second (render {result['render_ms']:.0f} ms, "
        f"sign {result['sign_ms']:.0f} ms, {len(signed):,} bytes each)"
    )
    if args.out:
        args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
