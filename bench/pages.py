"""Page benchmarks on one database: how pages behave as data grows. Writes its results as JSON.

Run by bench/run.py (`make bench`) once on SQLite and once on a throwaway PostgreSQL
(scripts/with-postgres.sh sets DXGRANT_DATABASE_URL). Every measure is a ratio taken in this one
run: the same request with 200,000 applications against 1,000 (or a deep page against the first
page), so machines and load cancel out; milliseconds are kept for context.

    python bench/pages.py --out results.json [--applications 200000] [--small 1000] [--firms 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DXGRANT_DATABASE_URL" not in os.environ:
    os.environ["DXGRANT_DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='dxgrant-bench-')}/bench.sqlite3"
    )
os.environ["DJANGO_SETTINGS_MODULE"] = "dxgrant.config.settings.test"

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.generate import Generator, analyse  # noqa: E402
from dxgrant.accounts.models import Role, User  # noqa: E402
from dxgrant.applications import workflow  # noqa: E402
from dxgrant.applications.models import Application  # noqa: E402
from dxgrant.programs.models import Programme  # noqa: E402
from dxgrant.programs.services.loading import load_programme_file  # noqa: E402
from dxgrant.public.models import Inquiry, InquiryStatus  # noqa: E402
from dxgrant.reporting import dashboard  # noqa: E402
from dxgrant.review.models import ReviewerMembership  # noqa: E402
from dxgrant.review.services import draws  # noqa: E402
from tests.factories.accounts import signed_in  # noqa: E402
from tests.factories.applications import fill_application, make_application  # noqa: E402
from tests.factories.rounds import open_round  # noqa: E402

REPEATS = 15
INQUIRIES_SMALL, INQUIRIES_LARGE = 100, 20_000
LIST = "/staff/applications/"
# The application the searches look for: filed among the first thousand, so at 200,000 it is
# deep in the table (a plan that walks the newest rows first would have to read nearly all).
TARGET = {"company_name": "株式会社欅電機", "company_name_kana": "ケヤキデンキ"}

# Median milliseconds, queries of one request, and the table rows (<tr>) on the page: a search
# whose matches grow with the data renders more rows at the large size, and the ratio shows it.
Measure = tuple[float, int, int]


def timed(client: Client, url: str, method: str = "get", data: dict[str, Any] | None = None) -> Measure:
    """Median milliseconds of REPEATS requests, the number of queries of one, and its table rows."""
    samples = []
    queries = rows = 0
    for _ in range(REPEATS):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx)
        rows = response.content.count(b"<tr") if response["Content-Type"].startswith("text/html") else 0
    return statistics.median(samples) * 1000, queries, rows


def recount_measure() -> Measure:
    """The task worker's recount of the dashboard's figures (every round), as the page's counts
    are stored before the page is measured: median milliseconds and the queries of one."""
    samples = []
    queries = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            dashboard.store(None)
            samples.append(time.perf_counter() - start)
        queries = len(ctx)
    return statistics.median(samples) * 1000, queries, 0


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


def inquiry_rows(client: Client, staff: User) -> list[tuple[str, Measure, Measure]]:
    add_inquiries(INQUIRIES_SMALL, staff)
    small = timed(client, "/staff/inquiries/")
    add_inquiries(INQUIRIES_LARGE - INQUIRIES_SMALL, staff)
    analyse()
    large = timed(client, "/staff/inquiries/")
    deep_before = Inquiry.objects.order_by("id").values_list("id", flat=True)[300]
    deep = timed(client, f"/staff/inquiries/?before={deep_before}")
    filtered = timed(client, "/staff/inquiries/?status=answered&mine=1")
    return [
        ("inquiry inbox, 20,000 vs 100 inquiries", large, small),
        ("inquiry inbox, a page ~19,700 rows deep vs the first page", deep, large),
        ("inquiry inbox filtered (status + mine) vs unfiltered, 20,000", filtered, large),
    ]


def application_pages(target: Application, firm_number: str) -> dict[str, str]:
    """The requests measured at both sizes: each is compared with itself at 1,000 applications."""
    receipt_tail = (target.receipt_number or "")[-6:]
    return {
        "staff application list": LIST,
        "dashboard": "/staff/dashboard/",
        "staff application list filtered (round + status + prefecture)": (
            f"{LIST}?round={target.round_id}&status=screening&prefecture=大阪府"
        ),
        "search: one company by its name": f"{LIST}?q={TARGET['company_name']}",
        "search: its reading typed in hiragana": f"{LIST}?q=けやきでんき",
        "search: its reading in half-width kana": f"{LIST}?q=ｹﾔｷ",
        "search: two characters of its name (欅電)": f"{LIST}?q=欅電",
        f"search: part of its receipt number ({receipt_tail})": f"{LIST}?q={receipt_tail}",
        "search: a common family name (山田, 1 row in 30)": f"{LIST}?q=山田",
        "search: a word most names share (株式会社)": f"{LIST}?q=株式会社",
        "search: two words (さくら 食品)": f"{LIST}?q=さくら%20食品",
        "firm filter: part of a firm's name": f"{LIST}?firm=みらい経営",
        "firm filter: a certification number": f"{LIST}?firm={firm_number}",
        "firm suggestions as one types (さくら)": f"{LIST}firms/?firm=さくら",
        "support staff list, search by company name": f"/support/staff/?q={TARGET['company_name']}",
        "public register, search by name in half-width kana": "/advisors/?q=ｻｸﾗｹｲｴｲ",
    }


def application_rows(client: Client, public: Client, args: argparse.Namespace) -> dict[str, Any]:
    """The secretariat's application list and its searches, at `small` and at `large` applications."""
    programme = Programme.objects.get()
    round_obj = open_round(programme)
    generator = Generator(programme, round_obj)
    small_firms = max(1, args.firms * args.small // args.applications)
    generator.add_firms(small_firms)
    generator.add_applications(args.small // 2)
    target = make_application(programme, round_obj=round_obj, status="submitted", **TARGET)
    generator.add_applications(args.small - args.small // 2 - 1)
    firm_number = target.firm.certification_number or ""
    pages = application_pages(target, firm_number)
    sizes = {"small": Application.objects.count()}
    small_recount = recount_measure()
    small = {label: timed(client if "public" not in label else public, url) for label, url in pages.items()}

    started = time.perf_counter()
    generator.add_firms(args.firms - small_firms)
    generator.add_applications(args.applications - sizes["small"])
    generated_s = time.perf_counter() - started
    sizes["large"] = Application.objects.count()
    large_recount = recount_measure()
    large = {label: timed(client if "public" not in label else public, url) for label, url in pages.items()}

    n_small, n_large = f"{sizes['small']:,}", f"{sizes['large']:,}"
    rows = [(f"{label}, {n_large} vs {n_small} applications", large[label], small[label]) for label in pages]
    rows.append(
        (
            f"dashboard recount on the task worker (not the page), {n_large} vs {n_small}",
            large_recount,
            small_recount,
        )
    )
    deep_before = Application.objects.order_by("id").values_list("id", flat=True)[300]
    deep = timed(client, f"{LIST}?before={deep_before}")
    rows.append(
        (
            f"staff application list, a page ~{sizes['large'] - 300:,} rows deep vs the first page",
            deep,
            large["staff application list"],
        )
    )

    application = fill_application(
        make_application(programme, round_obj=round_obj, company_name="ベンチ工業株式会社")
    )
    detail = timed(client, f"/staff/applications/{application.pk}/")
    rows.append((f"staff application detail vs the list, {n_large}", detail, large["staff application list"]))
    tracemalloc.start()
    start = time.perf_counter()
    assert client.get(f"/staff/applications/{application.pk}/application.pdf").status_code == 200
    cold_ms = (time.perf_counter() - start) * 1000
    _, pdf_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("full application PDF vs the staff detail page", (cold_ms, 0, 0), detail))
    return {
        "rows": rows,
        "generated_s": generated_s,
        "generated": sizes["large"] - sizes["small"],
        "firms": len(generator.firms),
        "sizes": sizes,
        "application_pdf_peak": pdf_peak,
    }


DRAW_APPLICATIONS, DRAW_REVIEWERS = 10_000, 100


def draw_measure(staff: User) -> dict[str, Any]:
    """The secretariat's draw (review.services.draws.run_draw) of 3 reviewers for each of 10,000
    applications in review across a pool of 100: the whole service, with its reads, its bulk
    writes and its one audit entry. One run (a second would find every place filled)."""
    round_obj = Application.objects.order_by("pk").first().round  # type: ignore[union-attr]
    reviewers = User.objects.bulk_create(
        User(email=f"bench-reviewer-{i}@example.jp", role=Role.REVIEWER, display_name=f"審査員 {i}")
        for i in range(DRAW_REVIEWERS)
    )
    ReviewerMembership.objects.bulk_create(ReviewerMembership(round=round_obj, reviewer=r) for r in reviewers)
    chosen = list(
        Application.objects.filter(round=round_obj)
        .order_by("pk")
        .values_list("pk", flat=True)[:DRAW_APPLICATIONS]
    )
    Application.objects.filter(pk__in=chosen).update(status=workflow.IN_REVIEW)
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        run = draws.run_draw(actor=staff, round_obj=round_obj, seed=20261130)
        ms = (time.perf_counter() - start) * 1000
    assert run.created == len(chosen) * 3, run.created
    return {
        "applications": len(chosen),
        "reviewers": DRAW_REVIEWERS,
        "pairs": run.created,
        "ms": ms,
        "queries": len(ctx),
    }


def public_rows(public: Client) -> tuple[list[tuple[str, Measure, Measure]], int]:
    home = timed(public, "/")
    schedule = timed(public, "/schedule/")
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
    tracemalloc.start()
    start = time.perf_counter()
    assert public.get("/rounds/dx-2025-r1/guidelines.pdf").status_code == 200
    cold_ms = (time.perf_counter() - start) * 1000
    _, pdf_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cached = timed(public, "/rounds/dx-2025-r1/guidelines.pdf")
    rows = [
        ("schedule vs home page", schedule, home),
        ("self-check answer vs home page", check, home),
        ("guidelines PDF, first render vs home page", (cold_ms, 0, 0), home),
        ("guidelines PDF, cached vs home page", cached, home),
    ]
    return rows, pdf_peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--firms", type=int, default=5_000)
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None)
    staff = User.objects.create_user("bench-staff@example.jp", "x", role=Role.SECRETARIAT)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = signed_in(staff)  # password and the second factor, as the sign-in page records them
    public = Client()

    rows = inquiry_rows(client, staff)
    applications = application_rows(client, public, args)
    rows += applications.pop("rows")
    draw = draw_measure(staff)
    more, guidelines_peak = public_rows(public)
    rows += more
    result = {
        "database": f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.pg_version}",  # type: ignore[attr-defined]
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "repeats": REPEATS,
        "rows": [[label, list(a), list(b)] for label, a, b in rows],
        "guidelines_pdf_peak": guidelines_peak,
        "draw": draw,
        **applications,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
