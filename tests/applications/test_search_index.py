"""Search by name uses an index on PostgreSQL (issue 9, item 18): at 200,000 applications a
search of the staff list took 8.3 times as long as at 1,000, because `icontains` on the name
and the reading can only be answered by reading every row.

Each search here is run through its page, and the query that filters the table is explained
with sequential scans and plain index walks switched off: a condition that an index can answer
is then answered by it (a Bitmap Index Scan on the search pieces' GIN index), while one that no
index can answer still has to read the whole table. The timings themselves are in
docs/benchmarks.md (`make bench`), never in a test.

PostgreSQL only: SQLite, the embedded database for trying dxgrant, searches with LIKE.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.advisors.selectors import named
from dxgrant.programs.models import Programme
from tests.factories.advisors import certified_firm
from tests.factories.applications import make_application

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's"),
]


def plans(client: Client, url: str, query: str, table: str) -> list[str]:
    """The plans of the page's queries on `table` that search (LIKE), indexes preferred."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"q": query} if "firm" not in url else {"firm": query}).status_code == 200
    searching = [
        q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"] and "LIKE" in q["sql"]
    ]
    assert searching, f"no search of {table} among the page's queries"
    found = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for sql in searching:
            cursor.execute(f"EXPLAIN {sql}")
            found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


@pytest.mark.parametrize("query", ["株式会社欅電機", "けやき", "欅", "000002", "5-8356-7825"])
def test_the_staff_list_search_uses_the_index(
    programme: Programme, client_for: Callable[[str], Client], query: str
) -> None:
    make_application(
        programme,
        company_name="株式会社欅電機",
        company_name_kana="ケヤキデンキ",
        corporate_number="5835678256246",
        receipt_number="DX-2026-000002",
    )
    for plan in plans(
        client_for(Role.SECRETARIAT), "/staff/applications/", query, "applications_application"
    ):
        assert "applications_application_search_grams_gin" in plan, plan


def test_the_firm_filter_and_the_register_search_use_the_index(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    """The firm suggestions page, and the search the public register and the registration queue
    share (the register's own plan may rather start from its certified-firms index)."""
    certified_firm(programme, name="さくら経営支援株式会社", name_kana="サクラケイエイシエン")
    for plan in plans(
        client_for(Role.SECRETARIAT), "/staff/applications/firms/", "けいえい", "advisors_advisorfirm"
    ):
        assert "advisors_advisorfirm_search_grams_gin" in plan, plan
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "advisors_advisorfirm_search_grams_gin" in named(AdvisorFirm.objects.all(), "ｻｸﾗ").explain()


def test_the_support_staff_list_uses_the_index(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    make_application(programme, company_name="株式会社欅電機")
    for plan in plans(client_for(Role.AUDITOR), "/support/staff/", "欅電機", "support_engagement"):
        assert "support_engagement_search_grams_gin" in plan, plan
