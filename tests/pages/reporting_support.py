"""The monthly support reports (reporting/support_urls.py, namespace "support_reports").

An award's pages hang off the application: everyone who may see it reads the months and the
reports (the company's people, the firm's advisors, the secretariat and auditors; generic users of
other roles belong to no company or firm: 404). Only the firm's advisor writes (403 for anyone
who sees the application but is not); only the applicant acknowledges or disputes (403).
The secretariat's list is for staff readers.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from dxgrant.reporting.services import support_reports as service
from dxgrant.reporting.support_rules import month_of
from tests.factories.rounds import open_round
from tests.reporting.support_builders import implementing

from .base import ANON, STAFF_READ, Page

# The audit entry: its chain head read and the insert; PostgreSQL also locks the head.
AUDIT = 3 if connection.vendor == "postgresql" else 2

NAMESPACES = {"support_reports"}

SEEN = "session; user"
APP = "application with round, acceptance, engagement (visibility subquery inside)"
SIDE = "applicant? (members)"
HEADER = "programme (header)"

PAGES: dict[str, Page] = {
    "support_reports:months": Page(
        "/applications/{sr_application}/support-reports/",
        6,
        user="sr_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; the award's reports; {HEADER}",
    ),
    "support_reports:edit": Page(
        "/applications/{sr_application}/support-reports/{sr_year}/{sr_month}/",
        9,
        user="sr_advisor",
        why=f"{SEEN}; {APP}; applicant? (members); membership of the advisor; firm standing; "
        f"the plan in force (plan versions; none: the last filed version); draft; disputed; {HEADER}",
    ),
    "support_reports:detail": Page(
        "/applications/{sr_application}/support-reports/{sr_report}/",
        6,
        user="sr_applicant",
        why=f"{SEEN}; {APP}; report with author, responder, corrected; {SIDE}; {HEADER}",
    ),
    "support_reports:acknowledge": Page(
        "/applications/{sr_application}/support-reports/{sr_report}/acknowledge/",
        8 + AUDIT,
        method="post",
        user="sr_applicant",
        why=f"{SEEN}; {APP}; report; report locked; {SIDE}; update; audit ({AUDIT})",
    ),
    "support_reports:dispute": Page(
        "/applications/{sr_application}/support-reports/{sr_report}/dispute/",
        8 + AUDIT,
        method="post",
        data={"comment": "打合せの回数が事実と異なります。"},
        user="sr_applicant",
        why=f"{SEEN}; {APP}; report; report locked; {SIDE}; update; audit ({AUDIT})",
    ),
    "support_reports:staff_list": Page(
        "/staff/support-reports/",
        7,
        Role.SECRETARIAT,
        why=f"{SEEN}; rounds' due days; a page of awards with their counts; their reports; rounds (the filter); {HEADER}",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
WRITE = NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403}

EXPECTED: dict[str, dict[str, int]] = {
    "support_reports:months": READ,
    "support_reports:edit": WRITE,
    "support_reports:detail": READ,
    "support_reports:acknowledge": WRITE,
    "support_reports:dispute": WRITE,
    "support_reports:staff_list": STAFF_READ,
}


def make_objects() -> dict[str, object]:
    """An award in its own round, accepted two months ago, with last month's report filed by
    the advisor and awaiting the applicant."""
    programme = Programme.objects.get()
    today = timezone.localdate()
    award = implementing(
        programme,
        accepted_on=today - dt.timedelta(days=62),
        period_ends=today + dt.timedelta(days=120),
        round_obj=open_round(programme, code="SUPPORT-PAGES"),
    )
    month = month_of(today)
    last = month_of(month - dt.timedelta(days=1))
    report = service.file_report(
        actor=award.advisor,
        application=award.application,
        month=last,
        content=service.ReportContent(
            activities="要件整理の支援",
            progress=[service.Progress("in_progress"), service.Progress("not_started")],
            next_steps="発注",
        ),
        token=uuid.uuid4(),
    )
    return {
        "sr_application": award.application.pk,
        "sr_applicant": award.applicant,
        "sr_advisor": award.advisor,
        "sr_report": report.pk,
        "sr_year": month.year,
        "sr_month": month.month,
    }
