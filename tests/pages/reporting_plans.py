"""Plan changes (reporting/plan_urls.py, namespace "plans").

Applicant pages (/applications/<pk>/plan-changes/, /new/) are counted as the company's
representative (`user=`); generic users of each role belong to no company and no firm and get
404; the secretariat and auditors read them (200) and cannot request (403 on POST, tested in
tests/reporting/test_plan_change_pages.py, with the advisor). The staff pages: staff readers see
the queue and a request; only the secretariat decides."""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from dxgrant.reporting.services import plan_changes
from tests.reporting.plan_builders import implementing

from .base import ANON, STAFF_READ, Page

NAMESPACES = {"plans"}

SEEN = "session; user"
APP = "application with round, firm, engagement (visibility subquery inside)"
SIDE = "applicant? (members)"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2

PAGES: dict[str, Page] = {
    "plans:plan": Page(
        "/applications/{pc_application}/plan-changes/",
        8,
        user="pc_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; filed version (plan 0); requests with author and version; plan versions; {HEADER}",
    ),
    "plans:request": Page(
        "/applications/{pc_application}/plan-changes/new/",
        7,
        user="pc_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; plan versions (none); filed version (plan 0); {HEADER}",
    ),
    "plans:staff_list": Page(
        "/staff/plan-changes/",
        5,
        Role.SECRETARIAT,
        why=f"{SEEN}; requests with application, round and author; rounds (filter); {HEADER}",
    ),
    "plans:staff_detail": Page(
        "/staff/plan-changes/{pc_change}/",
        6,
        Role.SECRETARIAT,
        why=f"{SEEN}; request with application, round, engagement, people, version; plan versions; filed version; {HEADER}",
    ),
    "plans:staff_decide": Page(
        "/staff/plan-changes/{pc_change}/decide/",
        6 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"decision": "refuse", "reason": "見積書がありません"},
        why=f"{SEEN}; request; application locked; request locked; update; audit ({AUDIT}) (the email task runs on commit)",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
SECRETARIAT_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "plans:plan": READ,
    "plans:request": READ,
    "plans:staff_list": STAFF_READ,
    "plans:staff_detail": STAFF_READ,
    "plans:staff_decide": SECRETARIAT_POST,
}


def make_objects() -> dict[str, object]:
    """An accepted award with its plan as decided and an open request moving 400,000円 into training."""
    award = implementing(Programme.objects.get(), with_decision=False)
    change = plan_changes.request_change(
        actor=award.applicant,
        application=award.application,
        amounts=[2_600_000, 1_400_000],
        milestones=[{"title": "研修の実施", "due": award.application.round.programme_period_ends}],
        reasons="研修の対象者を増やすため",
    )
    return {
        "pc_application": award.application.pk,
        "pc_applicant": award.applicant,
        "pc_change": change.pk,
    }
