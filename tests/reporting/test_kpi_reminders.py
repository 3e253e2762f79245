"""KPI reports in the reminder engine: one due item per award and due date (year 0 is due with
year 1), reminded to the applicant's people before it, gone once filed, none for a cancelled award."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from dxgrant.applications import workflow
from dxgrant.reporting import kpi
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.models import Reminder, ReminderSource
from dxgrant.reporting.services import kpi_reports, reminders
from dxgrant.reporting.sources import SOURCES, open_item
from tests.factories.support import representative_of
from tests.pages.reporting_kpi import award_in_verification

pytestmark = pytest.mark.django_db

# Approved on 2027-04-15: years 0 and 1 due 2028-07-15 (a Saturday), year 2 2029-07-15, year 3 2030-07-15.
DUE_1 = dt.date(2028, 7, 15)


def _items():
    return SOURCES[ReminderSource.KPI_REPORT].open_items(None)


def test_one_item_per_award_and_due_date_until_filed(programme):
    award = award_in_verification(programme)
    assert [i.due_on for i in _items()] == [DUE_1, dt.date(2029, 7, 15), dt.date(2030, 7, 15)]
    applicant = representative_of(award.engagement)
    filing = kpi_reports.Filing(kpi.Figures(1, 1, 1, 1, D("1")), [D("1")])
    kpi_reports.file_kpi_report(
        actor=applicant, kpi_year=KpiYear.objects.get(application=award, year=0), filing=filing
    )
    assert open_item(ReminderSource.KPI_REPORT, award.pk, DUE_1) is not None  # year 1 is still open
    kpi_reports.file_kpi_report(
        actor=applicant, kpi_year=KpiYear.objects.get(application=award, year=1), filing=filing
    )
    assert open_item(ReminderSource.KPI_REPORT, award.pk, DUE_1) is None
    assert [i.due_on for i in _items()] == [dt.date(2029, 7, 15), dt.date(2030, 7, 15)]


def test_a_cancelled_award_is_not_reminded(programme):
    award = award_in_verification(programme)
    award.status = workflow.CANCELLED
    award.save(update_fields=["status"])
    assert _items() == []


def test_the_engine_reminds_the_applicant_before_the_due_date_once(
    programme, django_capture_on_commit_callbacks
):
    award_in_verification(programme)
    # The 5th business day before Sat 2028-07-15 ... the engine's own rules; run on the due date's eve.
    eve = dt.date(2028, 7, 14)
    with django_capture_on_commit_callbacks(execute=False):
        reminders.send_due_reminders(today=eve)
        reminders.send_due_reminders(today=eve)
    made = Reminder.objects.filter(source=ReminderSource.KPI_REPORT)
    assert made.count() == 1 and made.get().due_on == DUE_1 and made.get().audience == "applicant"
