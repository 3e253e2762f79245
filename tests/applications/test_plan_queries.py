"""The plan, budget and documents pages do not grow in queries as lines, quotes, sections and
files are added (exact counts per page are in tests/pages/applications_plan.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dxgrant.applications import budget_rules, plan_rules
from dxgrant.applications.services import budget, documents, plan
from tests.factories.applications import drafting
from tests.factories.files import PDF_BYTES, pdf_bytes

pytestmark = pytest.mark.django_db


def count(client: Client, url: str) -> int:
    client.get(url)  # warm caches (header, session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


def add_content(s, n: int) -> None:
    specs = plan_rules.section_specs(s.application.round)
    for spec in specs[:n]:
        plan.save_plan_section(
            actor=s.advisor, application=s.application, code=spec.code, text="本文", expected_revision=0
        )
    for i in range(n):
        line = budget.add_budget_line(
            actor=s.advisor,
            application=s.application,
            values=budget_rules.LineValues(
                category="software",
                item=f"品目{i}",
                vendor="株式会社テスト",
                quantity=1,
                unit_price_yen=10_000,
                tax_rate_percent=10,
            ),
        )
        for j in range(2):
            budget.upload_quote(
                actor=s.advisor,
                line=line,
                file=SimpleUploadedFile(f"q{j}.pdf", pdf_bytes(f"{i}-{j}"), content_type="application/pdf"),
                supplier=f"業者{j}",
                amount_yen=10_000 + j,
            )
        documents.upload_document(
            actor=s.applicant,
            application=s.application,
            code="tax_returns",
            file=SimpleUploadedFile(f"d{i}.pdf", PDF_BYTES, content_type="application/pdf"),
        )


@pytest.mark.parametrize("part", ["plan/", "budget/", "documents/"])
def test_pages_stay_flat_as_content_grows(programme, part):
    s = drafting(programme)
    add_content(s, 1)
    clients = []
    for user in (s.advisor, s.applicant):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = f"/applications/{s.application.pk}/{part}"
    small = [count(client, url) for client in clients]
    add_more(s)
    assert [count(client, url) for client in clients] == small


def add_more(s) -> None:
    for spec in plan_rules.section_specs(s.application.round)[1:]:
        plan.save_plan_section(
            actor=s.advisor, application=s.application, code=spec.code, text="本文", expected_revision=0
        )
    for i in range(8):
        line = budget.add_budget_line(
            actor=s.advisor,
            application=s.application,
            values=budget_rules.LineValues(
                category="hardware",
                item=f"追加{i}",
                vendor="株式会社テスト",
                quantity=2,
                unit_price_yen=600_000,
                tax_rate_percent=10,
            ),
        )
        budget.upload_quote(
            actor=s.advisor,
            line=line,
            file=SimpleUploadedFile("q.pdf", PDF_BYTES, content_type="application/pdf"),
            supplier="業者",
            amount_yen=1_200_000,
        )
        documents.upload_document(
            actor=s.applicant,
            application=s.application,
            code="registry_certificate",
            file=SimpleUploadedFile(f"r{i}.pdf", PDF_BYTES, content_type="application/pdf"),
        )
