"""The KPI verification pages (reporting/kpi_urls.py, namespace "kpi").

The company's pages (/applications/<pk>/kpi/ and /<year>/) are counted as the company's
representative (`user=`); generic users of each role belong to no company and no firm and get
404; the secretariat and auditors read the company's years (200) but may not file (403), nor may
the advisor (tests/reporting/test_kpi_pages.py). The cohort page is the association's staff's, as
the dashboard.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.demo.builders import plan_data
from dxgrant.programs.models import Programme
from dxgrant.reporting.services import kpi_reports
from tests.factories.applications import make_application
from tests.factories.support import representative_of

from .base import ANON, Page

NAMESPACES = {"kpi"}

SEEN = "session; user"
APP = "application with round, firm, engagement (visibility subquery inside)"
SIDE = "applicant? (members)"
HEADER = "programme (header)"

# reporting.plans.current_plan: an approved plan change, or else the last filed version.
PLAN = "the plan in force (plan versions; none: the last filed version)"

PAGES: dict[str, Page] = {
    "kpi:company": Page(
        "/applications/{kpi_application}/kpi/",
        8,
        user="kpi_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; {PLAN}; the years with their reports; {HEADER}",
    ),
    "kpi:file": Page(
        "/applications/{kpi_application}/kpi/1/",
        8,
        user="kpi_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; the year with its report; {PLAN}; {HEADER}",
    ),
    "kpi:cohort": Page(
        "/staff/kpi/",
        5,
        Role.SECRETARIAT,
        why=f"{SEEN}; rounds (the filter); every KPI year with its report's productivity (one query); {HEADER}",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
EXPECTED: dict[str, dict[str, int]] = {
    "kpi:company": NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200},
    "kpi:file": NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403},
    "kpi:cohort": {ANON: 302}
    | {r: 403 for r in Role.values}
    | {Role.SECRETARIAT: 200, Role.FINANCE: 200, Role.AUDITOR: 200},
}

APPROVED_ON = dt.date(2027, 4, 15)


def award_in_verification(
    programme: Programme, *, approved_on: dt.date = APPROVED_ON, **columns
) -> Application:
    """An award whose results report was approved on `approved_on`: status reporting, a filed
    version carrying the demo plan (labour productivity 5,200 → 5,500 / 5,900 / 6,300 千円/人,
    one free KPI 廃棄ロス率 6.0 → 4.5 / 3.5 / 3.0 %), its KPI years open."""
    application = make_application(programme, status=workflow.REPORTING, **columns)
    plan = plan_data(application.round)
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        snapshot={
            "plan": {code: {"text": "", "data": data} for code, data in plan.items()},
            "budget": {"lines": []},
        },
        submitted_by=representative_of(application.engagement),
        submitted_at=timezone.now(),
    )
    kpi_reports.open_kpi_years(application=application, approved_on=approved_on)
    return application


def make_objects() -> dict[str, object]:
    application = award_in_verification(Programme.objects.get())
    return {"kpi_application": application.pk, "kpi_applicant": representative_of(application.engagement)}
