"""The notices' pages: the staff's round page and its "issue" button (/staff/awards/<code>/notices/),
the applicant's and advisor's notice and its PDF, the public verification page and the API.

The secretariat issues; auditors read the staff page; the notice of an application is seen by
the people who see the application (its company, its advisor firm, staff readers), 404 for
anyone else; verification is public. Notices here are rows with a small stand-in PDF: signing
is tested in tests/awards, not once per page and role."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards.models import Notice
from dxgrant.decisions.models import Decision, Meeting, RoundDecision
from dxgrant.programs.models import Programme
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.rounds import open_round

from .base import ANON, PUBLIC, STAFF_READ, Page

SEEN = "session; user"
HEADER = "programme (header)"
NAMESPACES = {"notices"}
APP = "the application, if visible (role, membership)"
PDF_BYTES = b"%PDF-1.7\n% a notice for the page registry\n"

PAGES: dict[str, Page] = {
    "notices:round": Page(
        "/staff/awards/{notices_round}/notices/",
        9,
        Role.SECRETARIAT,
        why=f"{SEEN}; round; the round's decision; its entries (count); notice counts; last run with its "
        f"requester; notices with their decisions; {HEADER}",
    ),
    "notices:issue": Page(
        "/staff/awards/{notices_round}/notices/issue/",
        5,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; round; the round's decision; missing notices (none: refused)",
    ),
    "notices:notice": Page(
        "/applications/{notice_application}/notice/",
        5,
        user="notice_applicant",
        why=f"{SEEN}; {APP}; the notice; {HEADER}",
    ),
    "notices:notice_pdf": Page(
        "/applications/{notice_application}/notice.pdf",
        5,
        user="notice_advisor",
        why=f"{SEEN}; advisor membership; {APP}; the notice",
    ),
    "notices:verify": Page("/verify/notice/{notice_number}", 3, why=f"look-up count; the notice; {HEADER}"),
    "api-v1:notice": Page("/api/v1/notices/{notice_number}", 3, why="rate count; look-up count; the notice"),
    "api-v1:verify": Page(
        "/api/v1/notices/verify",
        3,
        method="post",
        body=PDF_BYTES,
        content_type="application/pdf",
        why="rate count; look-up count; the notice with this SHA-256",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}

EXPECTED: dict[str, dict[str, int]] = {
    "notices:round": STAFF_READ,
    # Auditors read the page but may not issue: the service refuses them (403).
    "notices:issue": {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302},
    "notices:notice": READ,
    "notices:notice_pdf": READ,
    "notices:verify": PUBLIC,
    "api-v1:notice": PUBLIC,
    "api-v1:verify": PUBLIC,
}


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    secretariat = UserFactory(role=Role.SECRETARIAT)
    round_obj = open_round(programme, "dx-notices-pages", closed=True)
    application = make_application(programme, round_obj=round_obj, status=workflow.NOTIFIED)
    meeting = Meeting.objects.create(
        round=round_obj, held_on=timezone.localdate(), members="委員", minutes="議事", recorded_by=secretariat
    )
    round_decision = RoundDecision.objects.create(
        round=round_obj,
        meeting=meeting,
        budget_yen=round_obj.budget_yen,
        awarded_total_yen=4_000_000,
        amount_rule=round_obj.rules.amount_rule.model_dump(mode="json"),
        decided_by=secretariat,
        published_by=secretariat,
        published_at=timezone.now(),
    )
    decision = Decision.objects.create(
        round_decision=round_decision, application=application, rank=1, score=Decimal("90.00"),
        eligible_cost_yen=6_000_000, rate="2/3", proposed_yen=4_000_000, amount_yen=4_000_000,
        outcome="awarded", sheet={}, meeting=meeting,
    )  # fmt: skip
    notice = Notice(
        number=f"DXN-2026-{900000 + application.pk:06d}",
        kind="award",
        decision=decision,
        application=application,
        issued_on=timezone.localdate(),
        issued_by=secretariat,
        amount_yen=4_000_000,
        company_name=application.company_name,
        corporate_number=application.corporate_number,
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    notice.pdf.save(f"{notice.number}.pdf", ContentFile(PDF_BYTES), save=False)
    notice.save()
    engagement = application.engagement
    return {
        "notices_round": round_obj.code,
        "notice_application": application.pk,
        "notice_number": notice.number,
        "notice_applicant": engagement.members.first().user,
        "notice_advisor": engagement.lead_advisor,
    }
