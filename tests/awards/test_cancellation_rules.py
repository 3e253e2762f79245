"""The repayment demand's arithmetic (awards/repayment_rules.py): the worked example of its
docstring, exact figures, and properties (never negative, zero when repaid on time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.awards import repayment_rules as rules
from dxgrant.awards.repayment_rules import Payment

DUE = dt.date(2026, 4, 21)
RATE = Decimal("10.95")


def charge(principal: int, payments: list[Payment], as_of: dt.date, rate: Decimal = RATE) -> int:
    return rules.late_charge(
        principal_yen=principal, due_on=DUE, rate_percent_per_year=rate, payments=payments, as_of=as_of
    )


def test_demand_is_everything_paid_due_after_repayment_days():
    demand = rules.demand([2_500_000, 1_000_000], demanded_on=dt.date(2026, 4, 1), repayment_days=20)
    assert demand == rules.Demand(3_500_000, dt.date(2026, 4, 1), DUE)


def test_worked_example_of_the_docstring():
    payments = [Payment(400_000, dt.date(2026, 5, 1)), Payment(604_500, dt.date(2026, 5, 11))]
    assert charge(1_000_000, payments[:1], dt.date(2026, 4, 30)) == 2_700
    assert charge(1_000_000, payments, dt.date(2026, 5, 11)) == 4_500
    position = rules.position(
        principal_yen=1_000_000,
        due_on=DUE,
        rate_percent_per_year=RATE,
        payments=payments,
        as_of=dt.date(2026, 6, 30),
    )
    assert (position.charge_yen, position.repaid_yen, position.balance_yen, position.settled) == (
        4_500,
        1_004_500,
        0,
        True,
    )


def test_one_day_late_is_rounded_down():
    # 1,000,000 × 10.95% ÷ 365 = 300円 a day; 1,234,567円 for one day: 370.37 → 370.
    assert charge(1_000_000, [], dt.date(2026, 4, 22)) == 300
    assert charge(1_234_567, [], dt.date(2026, 4, 22)) == 370


def test_nothing_on_or_before_the_due_date():
    assert charge(1_000_000, [], DUE) == 0
    assert charge(1_000_000, [Payment(1_000_000, DUE)], dt.date(2026, 12, 31)) == 0


def test_a_repayment_counts_from_its_own_date():
    # Repaid in full on the first day late: that day is not charged.
    assert charge(1_000_000, [Payment(1_000_000, dt.date(2026, 4, 22))], dt.date(2026, 5, 31)) == 0
    # On the second day late: one day charged.
    assert charge(1_000_000, [Payment(1_000_000, dt.date(2026, 4, 23))], dt.date(2026, 5, 31)) == 300


def test_position_balance_while_outstanding():
    position = rules.position(
        principal_yen=1_000_000,
        due_on=DUE,
        rate_percent_per_year=RATE,
        payments=[Payment(400_000, dt.date(2026, 4, 10))],
        as_of=dt.date(2026, 4, 30),
    )
    # Paid on 4/30, the days before it: 8 days (4/22-4/29) on 600,000円 = 1,440円.
    assert (position.charge_yen, position.owed_yen, position.balance_yen, position.settled) == (
        1_440,
        1_001_440,
        601_440,
        False,
    )


dates = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31))
payments = st.lists(st.builds(Payment, st.integers(min_value=1, max_value=5_000_000), dates), max_size=6)
rates = st.decimals(min_value=0, max_value=100, places=2)


@given(principal=st.integers(min_value=0, max_value=10**9), payments=payments, as_of=dates, rate=rates)
def test_charge_is_never_negative(principal, payments, as_of, rate):
    assert charge(principal, payments, as_of, rate) >= 0


@given(principal=st.integers(min_value=0, max_value=10**9), as_of=dates, rate=rates, paid_on=dates)
def test_zero_when_repaid_on_time(principal, as_of, rate, paid_on):
    on_time = min(paid_on, DUE)
    assert charge(principal, [Payment(principal, on_time)], as_of, rate) == 0


@given(principal=st.integers(min_value=1, max_value=10**9), payments=payments, day=dates, rate=rates)
def test_charge_grows_with_time_and_not_with_repayment(principal, payments, day, rate):
    later = day + dt.timedelta(days=1)
    assert charge(principal, payments, later, rate) >= charge(principal, payments, day, rate)
    extra = [*payments, Payment(1, day)]
    assert charge(principal, extra, later, rate) <= charge(principal, payments, later, rate)


@given(principal=st.integers(min_value=1, max_value=10**8), days=st.integers(min_value=1, max_value=800))
def test_unpaid_charge_equals_the_closed_formula(principal, days):
    as_of = DUE + dt.timedelta(days=days)
    assert charge(principal, [], as_of) == principal * 1095 * days // (10000 * 365)


@given(principal=st.integers(min_value=1, max_value=10**9), payments=payments, day=dates, rate=rates)
def test_the_balance_on_a_day_settles_the_demand_on_that_day(principal, payments, day, rate):
    before = rules.position(
        principal_yen=principal, due_on=DUE, rate_percent_per_year=rate, payments=payments, as_of=day
    )
    if before.settled:
        return
    paid = [*payments, Payment(before.balance_yen, day)]
    after = rules.position(
        principal_yen=principal, due_on=DUE, rate_percent_per_year=rate, payments=paid, as_of=day
    )
    assert after.settled and after.balance_yen == 0 and after.charge_yen == before.charge_yen
