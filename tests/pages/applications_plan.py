"""The application's plan, budget and documents pages (applications/plan_urls.py).

Counts are taken as the firm's advisor (`user="plan_advisor"`). The authorization matrix is for
generic users of each role, who belong to no firm and no company: they get 404; the secretariat
and auditors read everything (200) and change nothing (403).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.applications import budget_rules
from dxgrant.applications.services import budget, documents, plan
from dxgrant.programs.models import Programme
from tests.factories.applications import drafting
from tests.factories.files import PDF_BYTES

from .base import ANON, Page

NAMESPACES: set[str] = set()  # "applications" is declared by tests/pages/applications.py

ADVISOR = "session; user; membership with firm and programme"  # 3 queries
APP = "application with round and firm (visibility subquery inside)"
EDIT = "edit check (no query for an advisor: the membership is remembered)"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2
WRITE = "audit lock (PostgreSQL only); audit head; audit insert"
LOCK = "application locked (edit check again, no query)"

PAGES: dict[str, Page] = {
    "applications:plan": Page(
        "/applications/{plan_application}/plan/",
        6,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; sections with updated_by; {EDIT}; {HEADER}",
    ),
    "applications:plan_section": Page(
        "/applications/{plan_application}/plan/measures/",
        6,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; section with updated_by; {EDIT}; {HEADER}",
    ),
    "applications:budget": Page(
        "/applications/{plan_application}/budget/",
        7,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; lines; their quotes (one prefetch); {EDIT}; {HEADER}",
    ),
    "applications:budget_line_add": Page(
        "/applications/{plan_application}/budget/lines/new/",
        5,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; {EDIT}; {HEADER}",
    ),
    "applications:budget_line_edit": Page(
        "/applications/{plan_application}/budget/lines/{plan_line}/",
        6,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; line; {EDIT}; {HEADER}",
    ),
    "applications:budget_line_delete": Page(
        "/applications/{plan_application}/budget/lines/{plan_line}/delete/",
        14 + AUDIT,
        user="plan_advisor",
        method="post",
        why=f"{ADVISOR}; {APP}; line; {EDIT}; {LOCK}; line again (locked app); its quotes (files "
        f"to remove on commit); {WRITE}; lines that chose one of the quotes (SET_NULL); their "
        f"choice cleared; delete quotes; delete line; totals; update application",
    ),
    "applications:budget_quote_upload": Page(
        "/applications/{plan_application}/budget/lines/{plan_line}/quotes/",
        8,
        user="plan_advisor",
        method="post",
        status=(400,),
        why=f"{ADVISOR}; {APP}; line; {EDIT}; no file: the budget page again with the error "
        f"(lines; quotes; {EDIT} — the header is cached by then)",
    ),
    "applications:budget_quote_choose": Page(
        "/applications/{plan_application}/budget/lines/{plan_line}/choice/",
        9,
        user="plan_advisor",
        method="post",
        status=(400,),
        why=f"{ADVISOR}; {APP}; line; {EDIT}; its quotes; none chosen: the budget page again with "
        f"the error (lines; quotes; {EDIT} — the header is cached by then)",
    ),
    "applications:documents": Page(
        "/applications/{plan_application}/documents/",
        6,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; documents with uploader; {EDIT}; {HEADER}",
    ),
    "applications:document_upload": Page(
        "/applications/{plan_application}/documents/upload/",
        6,
        user="plan_advisor",
        method="post",
        status=(400,),
        why=f"{ADVISOR}; {APP}; {EDIT}; no file: the page again with the error (documents; {EDIT})",
    ),
    "applications:document_download": Page(
        "/applications/{plan_application}/documents/{plan_document}/",
        5,
        user="plan_advisor",
        why=f"{ADVISOR}; {APP}; document",
    ),
    "applications:document_delete": Page(
        "/applications/{plan_application}/documents/{plan_document}/delete/",
        8 + AUDIT,
        user="plan_advisor",
        method="post",
        why=f"{ADVISOR}; {APP}; document; {EDIT}; {LOCK}; {WRITE}; a line's choice of it cleared "
        f"(SET_NULL); delete",
    ),
}

# Generic users belong to no firm and no company.
NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
ACT = NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403}

EXPECTED: dict[str, dict[str, int]] = {
    "applications:plan": READ,
    "applications:plan_section": READ,
    "applications:budget": READ,
    # Staff see the line forms read-only; posting them is refused.
    "applications:budget_line_add": READ,
    "applications:budget_line_edit": READ,
    "applications:budget_line_delete": ACT,
    "applications:budget_quote_upload": ACT,
    "applications:budget_quote_choose": ACT,
    "applications:documents": READ,
    "applications:document_upload": ACT,
    "applications:document_download": READ,
    "applications:document_delete": ACT,
}


def make_objects() -> dict[str, object]:
    s = drafting(Programme.objects.get(), firm_name="計画ページ用の事業者")
    plan.save_plan_section(
        actor=s.advisor,
        application=s.application,
        code="measures",
        text="需要予測と在庫の見える化",
        data={"measures": [{"title": "需要予測", "technologies": ["ai"]}]},
        expected_revision=0,
    )
    line = budget.add_budget_line(
        actor=s.advisor,
        application=s.application,
        values=budget_rules.LineValues(
            category="software",
            item="クラウド受発注",
            vendor="株式会社クラウド商事",
            quantity=1,
            unit_price_yen=300_000,
            tax_rate_percent=10,
        ),
    )
    budget.upload_quote(
        actor=s.advisor,
        line=line,
        file=SimpleUploadedFile("見積.pdf", PDF_BYTES, content_type="application/pdf"),
        supplier="株式会社クラウド商事",
        amount_yen=300_000,
    )
    document = documents.upload_document(
        actor=s.applicant,
        application=s.application,
        code="tax_certificate",
        file=SimpleUploadedFile("納税証明書.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    return {
        "plan_application": s.application.pk,
        "plan_line": line.pk,
        "plan_document": document.pk,
        "plan_advisor": s.advisor,
        "plan_applicant": s.applicant,
    }
