"""Which reminder of a due date is sent on which day: pure rules, no database.

A due item (acceptance, payee account, and the reports that follow) has a due date. Its steps:

- `before-N` for each N in `round.rules.reminders.before_business_days`: to the applicant's people,
  on the N-th business day before the due date;
- `advisor`: to the advisor, `advisor_after_business_days` business days after the due date;
- `secretariat`: to the secretariat, `secretariat_after_business_days` business days after it.

Business days skip weekends, Japanese public holidays and the New Year break (12/29-1/3), from
`dxgrant.japan.business_days`. A step is due from its day on. Catching up (the engine did not run
for some days, or the item appeared late), only the latest reminder before the due date is sent,
never a run of stale ones, and none once the date has passed: overdue items escalate instead.
Escalations go to different people, so each one due is sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dxgrant.japan.business_days import add_business_days, is_business_day
from dxgrant.programs.reminder_schema import ReminderRules

_ONE_DAY = dt.timedelta(days=1)


class Audience(StrEnum):
    APPLICANT = "applicant"
    ADVISOR = "advisor"
    SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Step:
    code: str
    audience: Audience
    send_on: dt.date

    @property
    def overdue(self) -> bool:
        return self.audience != Audience.APPLICANT


def business_days_before(due: dt.date, n: int) -> dt.date:
    """The n-th business day before `due` (`due` itself not counted; n >= 1)."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    current = due
    remaining = n
    while remaining:
        current -= _ONE_DAY
        if is_business_day(current):
            remaining -= 1
    return current


def schedule(due: dt.date, rules: ReminderRules) -> list[Step]:
    """Every step of a due date, in the order they fall."""
    before = [
        Step(f"before-{n}", Audience.APPLICANT, business_days_before(due, n))
        for n in sorted(rules.before_business_days, reverse=True)
    ]
    after = [
        Step("advisor", Audience.ADVISOR, add_business_days(due, rules.advisor_after_business_days)),
        Step(
            "secretariat", Audience.SECRETARIAT, add_business_days(due, rules.secretariat_after_business_days)
        ),
    ]
    return before + after


def due_steps(due: dt.date, today: dt.date, rules: ReminderRules) -> list[Step]:
    """The steps to send on `today`: the latest reminder before the due date whose day has come
    (none after the due date), and every escalation whose day has come."""
    steps = schedule(due, rules)
    reminders = [s for s in steps if not s.overdue and s.send_on <= today <= due]
    escalations = [s for s in steps if s.overdue and s.send_on <= today]
    return reminders[-1:] + escalations
