"""Every list the secretariat sees that can be exported, by code (the lists are in lists_*.py).

A list's queryset is the one its page starts from (`staff_list`, `inbox` …) filtered by the
same form or parameters, so the file holds what the page shows, all pages of it.
"""

from __future__ import annotations

from . import lists_awards, lists_core, lists_intake, lists_office, lists_reporting, lists_review, lists_staff
from .columns import CHUNK, Column, ListExport

__all__ = ["CHUNK", "EXPORTS", "Column", "ListExport", "get"]

EXPORTS: dict[str, ListExport] = {
    e.code: e
    for e in (
        lists_core.APPLICATIONS,
        lists_staff.SCREENING_QUEUE,
        lists_core.REPAYMENTS,
        lists_core.PAYMENT_BATCHES,
        lists_awards.NOTICES,
        lists_awards.TRANSFERS,
        lists_core.INQUIRIES,
        lists_reporting.SUPPORT_REPORTS,
        lists_reporting.PLAN_CHANGES,
        lists_reporting.RESULTS_REPORTS,
        lists_reporting.KPI_YEARS,
        lists_staff.SURVEYS,
        lists_staff.SURVEY_ANSWERS,
        lists_review.REVIEW_ROUNDS,
        lists_review.REVIEWERS,
        lists_review.CONFLICTS,
        lists_review.DECISION_ROUNDS,
        lists_intake.REFUSED_DUPLICATES,
        lists_intake.ENGAGEMENTS,
        lists_intake.PAYEE_CHANGES,
        lists_office.SENT_REMINDERS,
        lists_office.REGISTRATIONS,
    )
}


def get(code: str) -> ListExport | None:
    return EXPORTS.get(code)
