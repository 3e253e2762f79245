"""Which months of implementation need the advisor's support report, and when each is due: pure
rules, no database.

Implementation runs from the month of acceptance to the month of the round's
`programme_period_ends`, both included. Month M's report is due on
`round.rules.reporting.support_report_due_day` of month M+1 (the day is at most 28, so it exists
in every month). A report can be written once its month has begun. A month is overdue from the
day after its due date until a report for it is filed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    IN_PROGRESS = "in_progress", _("実施中")
    DONE = "done", _("完了")
    DELAYED = "delayed", _("遅延")


def month_of(day: dt.date) -> dt.date:
    """The first day of the month `day` is in (a month is named by its first day)."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + 1, 1, 1) if month.month == 12 else dt.date(month.year, month.month + 1, 1)


def months_of_implementation(accepted_on: dt.date, period_ends: dt.date) -> list[dt.date]:
    """Every month from the month of acceptance to that of the period end (none if the award was
    accepted after the period ended)."""
    months = []
    month, last = month_of(accepted_on), month_of(period_ends)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def due_on(month: dt.date, due_day: int) -> dt.date:
    """The day month `month`'s report is due: `due_day` of the following month."""
    return next_month(month).replace(day=due_day)


def writable_months(accepted_on: dt.date, period_ends: dt.date, today: dt.date) -> list[dt.date]:
    """The months a report can be written for today: those of implementation that have begun."""
    return [m for m in months_of_implementation(accepted_on, period_ends) if m <= today]


def overdue_months(
    accepted_on: dt.date, period_ends: dt.date, due_day: int, today: dt.date, filed: Iterable[dt.date]
) -> list[dt.date]:
    """The months whose due date has passed with no report filed for them."""
    done = {month_of(m) for m in filed}
    return [
        m
        for m in months_of_implementation(accepted_on, period_ends)
        if due_on(m, due_day) < today and m not in done
    ]
