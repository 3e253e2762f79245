"""The applicant's and advisor's application pages (applications/urls.py, without the plan,
budget and documents pages, which tests/pages/applications_plan.py registers).

Counts are taken as the person the page is for (`user=` from make_objects): the firm's advisor or
the company's representative. The authorization matrix is for generic users of each role, who
belong to no firm and no company: they get 404; the secretariat and auditors read everything
(200) and cannot do the applicant's or advisor's acts (403).
"""

from __future__ import annotations

import uuid

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.applications.services.disclosure import update_disclosure
from dxgrant.applications.snapshot import build_snapshot
from dxgrant.programs.models import Programme
from tests.factories.accounts import enrol_totp
from tests.factories.applications import drafting

from .base import ANON, Page

NAMESPACES = {"applications"}

SEEN = "session; user"
ADVISOR = f"{SEEN}; membership with firm and programme"
APP = "application with round, firm, engagement (visibility subquery inside)"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2
WRITE = "audit lock (PostgreSQL only); audit head; audit insert"
REQUIREMENTS = (
    "the round's conditions of submission, read once: the engagement with whether a hearing was "
    "confirmed; its training sessions; its passed quiz attempts (attendances too once sessions exist)"
)
TASKS = (
    "task list, computed once for the page: one query per part (plan sections, budget lines with "
    "their quote counts, documents attached; declarations are not counted while the profile is "
    "incomplete)"
)
FULL = "the whole application, built once (plan sections, budget lines, documents, declarations)"

PAGES: dict[str, Page] = {
    "applications:list": Page(
        "/applications/", 4, user="core_applicant", why=f"{SEEN}; applications; {HEADER}"
    ),
    "applications:from_engagement": Page(
        "/applications/from-engagement/{core_engagement}/",
        5,
        user="core_advisor",
        method="post",
        why=f"{ADVISOR}; engagement with round and firm; member?; existing application",
    ),
    "applications:detail": Page(
        "/applications/{core_application}/",
        12,
        user="core_advisor",
        why=f"{ADVISOR}; {APP}; versions; {TASKS}; {REQUIREMENTS}; {HEADER}",
    ),
    "applications:profile": Page(
        "/applications/{core_application}/profile/",
        5,
        user="core_applicant",
        why=f"{SEEN}; {APP}; applicant? (members); {HEADER}",
    ),
    "applications:disclosure": Page(
        "/applications/{core_application}/disclosure/",
        5,
        user="core_advisor",
        why=f"{ADVISOR}; {APP}; applicant? (members); {HEADER}",
    ),
    "applications:disclosure_confirm": Page(
        "/applications/{core_application}/disclosure/confirm/",
        7 + AUDIT,
        user="core_applicant",
        method="post",
        data={"revision": "1"},
        why=f"{SEEN}; {APP}; application locked; applicant? (members); update; {WRITE}",
    ),
    "applications:declarations": Page(
        "/applications/{core_application}/declarations/",
        7,
        user="core_applicant",
        why=f"{SEEN}; {APP}; declaration texts; accepted ones; applicant? (members); {HEADER}",
    ),
    "applications:check": Page(
        "/applications/{core_application}/check/",
        16,
        user="core_advisor",
        why=f"{ADVISOR}; {APP}; {TASKS}; {REQUIREMENTS}; {FULL}; declaration texts; {HEADER}",
    ),
    "applications:mark_ready": Page(
        "/applications/{core_application}/ready/",
        9,
        user="core_advisor",
        method="post",
        why=f"{ADVISOR}; {APP}; application locked; the guard ready_to_submit: task list (plan sections; "
        "the round; budget lines; documents) (refused: not complete; nothing written)",
    ),
    "applications:confirm": Page(
        "/applications/{core_ready}/confirm/",
        17,
        user="core_ready_applicant",
        why=f"{SEEN}; {APP}; applicant? (members, once: every decision of the page reads the side); "
        f"authenticator; {FULL}; {TASKS}; {REQUIREMENTS}; declaration texts; {HEADER}",
    ),
    "applications:reopen": Page(
        "/applications/{core_ready}/reopen/",
        9 + AUDIT,
        user="core_ready_applicant",
        method="post",
        why=f"{SEEN}; {APP}; applicant? (members); application locked; its engagement; applicant? "
        f"(members); status; {WRITE}; ready_at",
    ),
    "applications:receipt": Page(
        "/applications/{core_submitted}/receipt/",
        5,
        user="core_submitted_applicant",
        why=f"{SEEN}; {APP}; versions with submitter; {HEADER}",
    ),
    "applications:receipt_pdf": Page(
        "/applications/{core_submitted}/receipt/1.pdf",
        4,
        user="core_submitted_applicant",
        why=f"{SEEN}; {APP}; version",
    ),
    "applications:withdraw": Page(
        "/applications/{core_application}/withdraw/",
        5,
        user="core_applicant",
        why=f"{SEEN}; {APP}; applicant? (members); {HEADER}",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
ACT = NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403}

EXPECTED: dict[str, dict[str, int]] = {
    "applications:list": {ANON: 302} | {r: 200 for r in Role.values},
    # Staff are sent on to an existing application; nobody else sees someone else's engagement.
    "applications:from_engagement": NOT_THEIRS | {Role.SECRETARIAT: 302, Role.AUDITOR: 302},
    "applications:detail": READ,
    "applications:profile": READ,
    "applications:disclosure": READ,
    "applications:disclosure_confirm": ACT,
    "applications:declarations": READ,
    "applications:check": READ,
    "applications:mark_ready": ACT,
    "applications:confirm": ACT,
    "applications:reopen": ACT,
    "applications:receipt": READ,
    "applications:receipt_pdf": READ,
    "applications:withdraw": ACT,
}


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    s = drafting(programme, firm_name="申請ページ用の事業者")
    update_disclosure(
        application=s.application,
        actor=s.advisor,
        data={
            "fee_amount_yen": 330_000,
            "fee_basis": "定額",
            "fee_timing": "on_payment",
            "success_fee_percent": None,
            "advisor_sells_budget_items": False,
            "advisor_sales_disclosure": "",
        },
        revision=0,
    )
    ready = drafting(programme, firm_name="確認ページ用の事業者")
    Application.objects.filter(pk=ready.application.pk).update(status=workflow.AWAITING_CONFIRMATION)
    enrol_totp(ready.applicant)
    done = drafting(programme, firm_name="受付票ページ用の事業者")
    Application.objects.filter(pk=done.application.pk).update(
        status=workflow.SUBMITTED, receipt_number="DX-2026-900001"
    )
    ApplicationVersion.objects.create(
        application=done.application,
        number=1,
        snapshot=build_snapshot(done.application),
        submitted_by=done.applicant,
        submitted_at=done.application.created_at,
        submission_token=uuid.uuid4(),
    )
    return {
        "core_application": s.application.pk,
        "core_engagement": s.application.engagement_id,
        "core_advisor": s.advisor,
        "core_applicant": s.applicant,
        "core_ready": ready.application.pk,
        "core_ready_applicant": ready.applicant,
        "core_submitted": done.application.pk,
        "core_submitted_applicant": done.applicant,
    }
