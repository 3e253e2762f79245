"""The months of implementation and their due dates (reporting/support_rules.py)."""

import datetime as dt

from dxgrant.reporting import support_rules as rules

D = dt.date


def test_months_run_from_the_month_of_acceptance_to_that_of_the_period_end_across_a_year():
    months = rules.months_of_implementation(D(2026, 10, 31), D(2027, 2, 15))
    assert months == [D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1)]


def test_acceptance_after_the_period_end_has_no_months_and_one_month_has_one():
    assert rules.months_of_implementation(D(2027, 3, 1), D(2027, 2, 28)) == []
    assert rules.months_of_implementation(D(2027, 2, 3), D(2027, 2, 28)) == [D(2027, 2, 1)]


def test_a_month_is_due_on_the_due_day_of_the_next_month():
    assert rules.due_on(D(2026, 12, 1), 10) == D(2027, 1, 10)
    assert rules.due_on(D(2027, 1, 1), 28) == D(2027, 2, 28)
    # Accepted on the 31st: the month is named by its first day, due the next month.
    assert rules.due_on(rules.month_of(D(2026, 10, 31)), 10) == D(2026, 11, 10)


def test_overdue_from_the_day_after_the_due_date_until_filed():
    accepted, ends = D(2026, 10, 31), D(2027, 1, 15)  # period ends mid-month: January is due
    assert rules.overdue_months(accepted, ends, 10, D(2026, 11, 10), []) == []
    assert rules.overdue_months(accepted, ends, 10, D(2026, 11, 11), []) == [D(2026, 10, 1)]
    assert rules.overdue_months(accepted, ends, 10, D(2027, 3, 1), [D(2026, 11, 1)]) == [
        D(2026, 10, 1),
        D(2026, 12, 1),
        D(2027, 1, 1),
    ]
    assert rules.overdue_months(accepted, ends, 10, D(2027, 2, 10), []) == [
        D(2026, 10, 1),
        D(2026, 11, 1),
        D(2026, 12, 1),
    ]


def test_only_months_that_have_begun_can_be_written():
    assert rules.writable_months(D(2026, 11, 20), D(2027, 3, 31), D(2027, 1, 1)) == [
        D(2026, 11, 1),
        D(2026, 12, 1),
        D(2027, 1, 1),
    ]
