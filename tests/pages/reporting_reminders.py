"""The secretariat's page of reminders (/staff/reminders/): the staff readers (the secretariat and
the auditor) read it; everyone else gets 403, anonymous visitors are sent to sign in. It stays
flat as reminders, runs and due items grow (tests/reporting/test_reminders_page.py)."""

from __future__ import annotations

from dxgrant.accounts.models import Role

from .base import STAFF_READ, Page

NAMESPACES = {"reminders"}
SOURCES = (
    "the open items of each reminder source (acceptance 2, payee 1, survey 1, KPI 1, support 2, results 1)"
)

PAGES: dict[str, Page] = {
    "reminders:list": Page(
        "/staff/reminders/",
        14,
        Role.SECRETARIAT,
        why=(
            f"session; user; a page of reminders sent (none: no invitations, no applications looked up); "
            f"{SOURCES}; the last run; the runs waiting or missed; programme (header)"
        ),
    ),
}

EXPECTED: dict[str, dict[str, int]] = {"reminders:list": STAFF_READ}
