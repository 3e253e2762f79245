"""The arithmetic of a repayment demand (返還請求) after a cancelled award: no database.

The demand: the amount paid (the sum of the paid instalments) is due ``repayment_days`` after
the demand date.

The additional charge for lateness (延滞金): for each day after the due date on which part of
the principal is still outstanding, ``balance × rate ÷ 100 ÷ 365``; a repayment reduces the
balance from its own date (a repayment on day d is not charged for day d). Repayments go to the
principal first: the charge is never charged on itself. The sum is exact (Fraction) and rounded
down to the yen once, at the end.

Worked example (the tests hold the code to it): 1,000,000円 demanded on 2026-04-01, due
2026-04-21 (20 days), 10.95% a year. 400,000円 is repaid on 2026-05-01 and the rest on
2026-05-11.

- 2026-04-22 … 2026-04-30: 9 days on 1,000,000円: 1,000,000 × 0.1095 × 9 ÷ 365 = 2,700円
- 2026-05-01 … 2026-05-10: 10 days on 600,000円: 600,000 × 0.1095 × 10 ÷ 365 = 1,800円
- charge 4,500円; settled once 1,004,500円 has been repaid in all.

Paid on or before the due date, the charge is 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class Demand:
    principal_yen: int
    demanded_on: dt.date
    due_on: dt.date


def demand(paid_instalments_yen: Iterable[int], *, demanded_on: dt.date, repayment_days: int) -> Demand:
    """The amount to repay (everything paid) and its due date."""
    if repayment_days < 0:
        raise ValueError("repayment_days must not be negative")
    return Demand(
        principal_yen=sum(paid_instalments_yen),
        demanded_on=demanded_on,
        due_on=demanded_on + dt.timedelta(days=repayment_days),
    )


@dataclass(frozen=True)
class Payment:
    amount_yen: int
    paid_on: dt.date


def _exact(rate_percent_per_year: Decimal | int | str) -> Fraction:
    rate = Fraction(Decimal(rate_percent_per_year))
    if rate < 0:
        raise ValueError("the rate must not be negative")
    return rate


def late_charge(
    *,
    principal_yen: int,
    due_on: dt.date,
    rate_percent_per_year: Decimal | int | str,
    payments: Sequence[Payment],
    as_of: dt.date,
) -> int:
    """The additional charge accrued up to and including ``as_of`` (whole yen, rounded down)."""
    rate = _exact(rate_percent_per_year)
    # Balance changes: the principal at the day after the due date, then each repayment.
    events = sorted((p.paid_on, p.amount_yen) for p in payments if p.paid_on <= as_of)
    balance = principal_yen
    day = due_on + dt.timedelta(days=1)
    total = Fraction(0)
    for paid_on, amount in events:
        if paid_on > day:
            total += max(balance, 0) * (paid_on - day).days
            day = paid_on
        balance -= amount
    if as_of >= day:
        total += max(balance, 0) * ((as_of - day).days + 1)
    charge = total * rate / 100 / DAYS_IN_YEAR
    return int(charge)  # rounded down (never negative)


@dataclass(frozen=True)
class Position:
    """A demand's figures on one day."""

    principal_yen: int
    repaid_yen: int
    charge_yen: int

    @property
    def owed_yen(self) -> int:
        return self.principal_yen + self.charge_yen

    @property
    def balance_yen(self) -> int:
        return max(self.owed_yen - self.repaid_yen, 0)

    @property
    def settled(self) -> bool:
        return self.repaid_yen >= self.owed_yen


def position(
    *,
    principal_yen: int,
    due_on: dt.date,
    rate_percent_per_year: Decimal | int | str,
    payments: Sequence[Payment],
    as_of: dt.date,
) -> Position:
    """The demand at the start of day ``as_of``: the repayments up to and including that day,
    the charge for the days before it, so ``balance_yen`` is exactly what settles the demand if
    paid on ``as_of`` (a repayment is not charged for its own day). Once the principal is repaid
    the charge stops growing (it is not charged on itself)."""
    counted = [p for p in payments if p.paid_on <= as_of]
    charge = late_charge(
        principal_yen=principal_yen,
        due_on=due_on,
        rate_percent_per_year=rate_percent_per_year,
        payments=counted,
        as_of=as_of - dt.timedelta(days=1),
    )
    return Position(
        principal_yen=principal_yen, repaid_yen=sum(p.amount_yen for p in counted), charge_yen=charge
    )
