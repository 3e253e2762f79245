"""The programme dashboard (/staff/dashboard/): the association's staff read it (the secretariat,
finance, the auditor); everyone else gets 403, anonymous visitors are sent to sign in."""

from __future__ import annotations

from dxgrant.accounts.models import Role

from .base import ANON, Page

NAMESPACES = {"dashboard"}
FIGURES = (
    "applications by status and outcome; awards by prefecture; by industry; paid instalments; "
    "the open items of each reminder source (acceptance 2, payee 1, survey 1, KPI 1, support 2, "
    "results 1); the KPI years of the cohort"
)

PAGES: dict[str, Page] = {
    "dashboard:dashboard": Page(
        "/staff/dashboard/",
        20,
        Role.SECRETARIAT,
        why=(
            f"session; user; rounds (the filter, the budget); the stored counts (none yet: the first "
            f"look counts them: {FIGURES}, and stores them: select, insert); programme (header). "
            "Once stored, 5 (tests/reporting/test_dashboard_page.py)"
        ),
    ),
}

EXPECTED: dict[str, dict[str, int]] = {
    "dashboard:dashboard": {ANON: 302}
    | {r: 403 for r in Role.values}
    | {Role.SECRETARIAT: 200, Role.FINANCE: 200, Role.AUDITOR: 200},
}
