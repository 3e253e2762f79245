"""Benchmarks: how pages behave as data grows. Writes docs/benchmarks.md.

Results are ratios taken in one run on one machine (large data / small data, deep page / first
page), so they compare like with like; absolute milliseconds are listed for context only.
Run with `make bench`. Uses a throwaway SQLite database (or DXGRANT_DATABASE_URL if set).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
tmp = tempfile.mkdtemp(prefix="dxgrant-bench-")
os.environ.setdefault("DXGRANT_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "dxgrant.config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
settings.DEBUG = False
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dxgrant.accounts.models import Role, User  # noqa: E402
from dxgrant.programs.services import load_programme_file  # noqa: E402
from dxgrant.public.models import Inquiry, InquiryStatus  # noqa: E402

SMALL, LARGE = 100, 20_000
REPEATS = 15


def timed(client: Client, url: str, method: str = "get", data: dict | None = None) -> tuple[float, int]:
    samples = []
    queries = 0
    for _ in range(REPEATS):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx)
    return statistics.median(samples) * 1000, queries


def add_inquiries(n: int, assignee: User) -> None:
    statuses = list(InquiryStatus.values)
    Inquiry.objects.bulk_create(
        [
            Inquiry(
                name=f"ベンチ {i}",
                email=f"b{i}@example.jp",
                category="programme",
                message="質問です。" * 20,
                status=statuses[i % len(statuses)],
                assignee=assignee if i % 3 == 0 else None,
                submission_token=uuid.uuid4(),
                ip_address="192.0.2.1",
            )
            for i in range(n)
        ],
        batch_size=2000,
    )


def add_applications(n: int, round_obj, firm, advisor: User) -> None:  # type: ignore[no-untyped-def]
    """n submitted applications, each with its engagement, written in bulk."""
    from django.utils import timezone

    from dxgrant.applications import workflow
    from dxgrant.applications.models import Application
    from dxgrant.support.models import Engagement, EngagementStatus

    start = Application.objects.count()
    prefectures = ["東京都", "大阪府", "愛知県", "福岡県", "北海道"]
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                firm=firm,
                round=round_obj,
                lead_advisor=advisor,
                company_name=f"ベンチ商事{start + i}",
                corporate_number="",
                status=EngagementStatus.ACTIVE,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                round=round_obj,
                engagement=engagement,
                firm=firm,
                status=[workflow.SUBMITTED, workflow.SCREENING, workflow.RETURNED][i % 3],
                company_key=f"name:ベンチ商事{start + i}",
                company_name=engagement.company_name,
                company_name_kana="ベンチショウジ",
                prefecture=prefectures[i % len(prefectures)],
                industry="E",
                employees=5 + i % 90,
                receipt_number=f"DX-2026-{start + i + 1:06d}",
                submitted_at=now,
            )
            for i, engagement in enumerate(engagements)
        ],
        batch_size=2000,
    )


def application_rows(client: Client) -> list[tuple[str, tuple[float, int], tuple[float, int]]]:
    """The secretariat's application list as applications grow, and the full application PDF."""
    from dxgrant.applications.models import Application
    from dxgrant.programs.models import Programme
    from tests.factories.advisors import advisor_of, certified_firm
    from tests.factories.applications import fill_application, make_application
    from tests.factories.rounds import open_round

    programme = Programme.objects.get()
    round_obj = open_round(programme)
    firm = certified_firm(programme, name="ベンチ支援株式会社")
    advisor = advisor_of(firm)
    rows = []
    add_applications(SMALL, round_obj, firm, advisor)
    small = timed(client, "/staff/applications/")
    add_applications(LARGE - SMALL, round_obj, firm, advisor)
    large = timed(client, "/staff/applications/")
    deep_before = Application.objects.order_by("id").values_list("id", flat=True)[300]
    deep = timed(client, f"/staff/applications/?before={deep_before}")
    filtered = timed(
        client, f"/staff/applications/?round={round_obj.code}&status=screening&prefecture=大阪府"
    )
    searched = timed(client, "/staff/applications/?q=ベンチ商事19999")
    rows.append(("staff application list, 20,000 vs 100 applications", large, small))
    rows.append(("staff application list, a page ~19,700 rows deep vs the first page", deep, large))
    rows.append(
        ("staff application list filtered (round + status + prefecture) vs unfiltered", filtered, large)
    )
    rows.append(("staff application list, search by company name vs unfiltered", searched, large))

    application = fill_application(
        make_application(programme, round_obj=round_obj, company_name="ベンチ工業株式会社")
    )
    detail = timed(client, f"/staff/applications/{application.pk}/")
    rows.append(("staff application detail vs the list, 20,000", detail, large))
    global application_pdf_peak
    tracemalloc.start()
    start = time.perf_counter()
    assert client.get(f"/staff/applications/{application.pk}/application.pdf").status_code == 200
    cold_ms = (time.perf_counter() - start) * 1000
    _, application_pdf_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("full application PDF vs the staff detail page", (cold_ms, 0), detail))
    return rows


application_pdf_peak = 0


def main() -> None:
    call_command("migrate", verbosity=0)
    load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None)
    staff = User.objects.create_user("bench-staff@example.jp", "x", role=Role.SECRETARIAT)
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    from tests.factories.accounts import signed_in

    client = signed_in(staff)  # password and the second factor, as the sign-in page records them
    public = Client()
    rows = []

    add_inquiries(SMALL, staff)
    small_inbox = timed(client, "/staff/inquiries/")
    add_inquiries(LARGE - SMALL, staff)
    large_inbox = timed(client, "/staff/inquiries/")
    # A deep page: keyset pagination should cost what the first page costs.
    deep_before = Inquiry.objects.order_by("id").values_list("id", flat=True)[300]
    deep_inbox = timed(client, f"/staff/inquiries/?before={deep_before}")
    filtered = timed(client, "/staff/inquiries/?status=answered&mine=1")
    rows.append(("inquiry inbox, 20,000 vs 100 inquiries", large_inbox, small_inbox))
    rows.append(("inquiry inbox, a page ~19,700 rows deep vs the first page", deep_inbox, large_inbox))
    rows.append(("inquiry inbox filtered (status + mine) vs unfiltered, 20,000", filtered, large_inbox))

    rows += application_rows(client)

    home = timed(public, "/")
    schedule = timed(public, "/schedule/")
    rows.append(("schedule vs home page", schedule, home))
    check = timed(
        public,
        "/rounds/dx-2025-r1/self-check/",
        "post",
        {
            "entity_type": "corporation",
            "employees": "20",
            "capital_yen": "1000",
            "antisocial_ties": "no",
            "legal_compliance": "yes",
        },
    )
    rows.append(("self-check answer vs home page", check, home))

    tracemalloc.start()
    start = time.perf_counter()
    assert public.get("/rounds/dx-2025-r1/guidelines.pdf").status_code == 200
    cold_ms = (time.perf_counter() - start) * 1000
    _, pdf_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cached = timed(public, "/rounds/dx-2025-r1/guidelines.pdf")
    rows.append(("guidelines PDF, first render vs home page", (cold_ms, 0), home))
    rows.append(("guidelines PDF, cached vs home page", cached, home))

    lines = [
        "# Benchmarks",
        "",
        "Made by `make bench` (`bench/run.py`) in one run on one machine; compare the ratios, not the",
        f"milliseconds. Median of {REPEATS} requests through Django's test client on SQLite.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| measure | ratio | ms (a / b) | queries (a / b) |",
        "|---|---|---|---|",
    ]
    for label, (a_ms, a_q), (b_ms, b_q) in rows:
        lines.append(f"| {label} | {a_ms / b_ms:.2f} | {a_ms:.1f} / {b_ms:.1f} | {a_q} / {b_q} |")
    lines += [
        "",
        f"Guidelines PDF: peak Python memory while rendering {pdf_peak / 1_048_576:.1f} MiB.",
        f"Full application PDF: peak Python memory while rendering {application_pdf_peak / 1_048_576:.1f} MiB.",
        "",
        "Targets: list pages stay flat as data grows (ratio near 1, same query count); a deep page",
        "costs what the first page does (keyset pagination).",
    ]
    out = ROOT / "docs" / "benchmarks.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
