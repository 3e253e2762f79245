"""KPI verification (効果検証): the arithmetic of the yearly KPI reports, pure, Decimal, no database.

- value added (付加価値額) = operating profit (営業利益) + personnel costs (人件費) + depreciation
  (減価償却費), in yen; operating profit may be negative, so value added may be too;
- labour productivity (労働生産性) = value added / employees, in yen per person, rounded half up
  to the yen. Employees are full-time equivalents with one decimal (part-timers count in
  fractions) and must be above zero: zero employees is refused, never divided by;
- the change of a year against the baseline (year 0, the last full fiscal year before the grant)
  in percent, and the annual growth rate over the N years (年平均成長率, (v/b)^(1/N) - 1), both to
  one decimal; neither is defined when the baseline is zero or negative;
- the plan's labour productivity target for year N is read as growth: the plan states a baseline
  and a value per year in its own unit (千円/人 ...), so the target growth is year_N / baseline - 1,
  and the target is met when the reported change reaches it. Units never have to agree;
- a free KPI of the plan is met when its value reaches the target in the direction the plan
  points (a target below the baseline is a reduction: 廃棄ロス率 6.0 → 3.0 is met at 3.0 or less);
- the cohort: the share of companies that met their target, and the median and quartiles of the
  change in labour productivity (linear interpolation between ranks).

Worked examples in docs/kpi.md; tests/reporting/test_kpi_rules.py holds the two together.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

ONE = Decimal(1)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
MAX_EMPLOYEES = Decimal("99999.9")
# The bins of the distribution chart of the change in labour productivity (percent).
BIN_EDGES = (Decimal(-10), Decimal(0), Decimal(5), Decimal(10), Decimal(20))


@dataclass(frozen=True)
class Figures:
    """One year's figures as the company reports them (yen; employees as FTE)."""

    sales_yen: int
    operating_profit_yen: int
    personnel_costs_yen: int
    depreciation_yen: int
    employees: Decimal


def problems(figures: Figures) -> dict[str, str]:
    """What is wrong with a year's figures, by field (empty when nothing is)."""
    found: dict[str, str] = {}
    if figures.sales_yen < 0:
        found["sales_yen"] = _("売上高：0円以上の金額を入力してください。")
    if figures.personnel_costs_yen < 0:
        found["personnel_costs_yen"] = _("人件費：0円以上の金額を入力してください。")
    if figures.depreciation_yen < 0:
        found["depreciation_yen"] = _("減価償却費：0円以上の金額を入力してください。")
    if figures.employees <= 0:
        found["employees"] = _(
            "従業員数：0より大きい人数を入力してください（常勤換算、小数第1位まで。例：12.5）。"
            "従業員が0人では労働生産性を計算できません。"
        )
    elif figures.employees > MAX_EMPLOYEES or figures.employees != figures.employees.quantize(TENTH):
        found["employees"] = _("従業員数：99999.9人までの人数を、小数第1位までで入力してください。")
    return found


def value_added(figures: Figures) -> int:
    """付加価値額 = 営業利益 + 人件費 + 減価償却費 (yen)."""
    return figures.operating_profit_yen + figures.personnel_costs_yen + figures.depreciation_yen


def labour_productivity(figures: Figures) -> Decimal:
    """付加価値額 / 従業員数, yen per person, rounded half up to the yen. ValueError for no employees."""
    if figures.employees <= 0:
        raise ValueError(_("従業員が0人では労働生産性を計算できません。"))
    return (Decimal(value_added(figures)) / figures.employees).quantize(ONE, rounding=ROUND_HALF_UP)


def change_percent(baseline: Decimal, value: Decimal) -> Decimal | None:
    """(value - baseline) / baseline in percent, one decimal; None for a baseline of 0 or less."""
    if baseline <= 0:
        return None
    return ((value - baseline) / baseline * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


def annual_growth_percent(baseline: Decimal, value: Decimal, years: int) -> Decimal | None:
    """The annual growth rate over `years` years in percent, one decimal: (value/baseline)^(1/years) - 1.
    None when either figure is 0 or less (no rate turns a loss into a gain), or for no years."""
    if baseline <= 0 or value <= 0 or years < 1:
        return None
    ratio = value / baseline
    rate = ratio ** (ONE / Decimal(years)) - ONE
    return (rate * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)


def number(value: Any) -> Decimal | None:
    """A plan's figure (int, float or text as stored) as a Decimal; None when blank or not a number."""
    if value in (None, ""):
        return None
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def target_growth_percent(row: Mapping[str, Any], year: int) -> Decimal | None:
    """The growth the plan's row sets for `year` (1..3: year1..year3), in percent against its own
    baseline; None when the plan has no target for that year or no positive baseline."""
    baseline = number(row.get("baseline"))
    target = number(row.get(f"year{year}"))
    if baseline is None or target is None:
        return None
    return change_percent(baseline, target)


def met(change: Decimal | None, target: Decimal | None) -> bool | None:
    """Whether a change reached its target growth; None when either is unknown."""
    if change is None or target is None:
        return None
    return change >= target


def free_target_met(row: Mapping[str, Any], year: int, value: Decimal | None) -> bool | None:
    """A free KPI: met when `value` reaches the year's target in the direction the plan points
    (target below the baseline: at or below it). None with no target or no value."""
    target = number(row.get(f"year{year}"))
    if target is None or value is None:
        return None
    baseline = number(row.get("baseline"))
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


# --- The cohort ------------------------------------------------------------------------------


def quantile(sorted_values: Sequence[Decimal], q: Decimal) -> Decimal:
    """The q-quantile (0..1) of sorted values by linear interpolation between ranks (Excel's
    QUARTILE.INC), one decimal. ValueError for no values."""
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    fraction = position - low
    found = sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction
    return found.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Cohort:
    """The companies of one KPI year: how many reported, how many had a target and met it, and
    the spread of their change in labour productivity against the baseline."""

    reported: int
    with_target: int
    met: int
    changes: tuple[Decimal, ...]

    @property
    def share_met(self) -> Decimal | None:
        if not self.with_target:
            return None
        return (Decimal(self.met) / Decimal(self.with_target) * HUNDRED).quantize(
            TENTH, rounding=ROUND_HALF_UP
        )

    def _q(self, q: str) -> Decimal | None:
        return quantile(self.changes, Decimal(q)) if self.changes else None

    @property
    def median(self) -> Decimal | None:
        return self._q("0.5")

    @property
    def lower_quartile(self) -> Decimal | None:
        return self._q("0.25")

    @property
    def upper_quartile(self) -> Decimal | None:
        return self._q("0.75")

    @property
    def lowest(self) -> Decimal | None:
        return self.changes[0] if self.changes else None

    @property
    def highest(self) -> Decimal | None:
        return self.changes[-1] if self.changes else None


def cohort(results: Sequence[tuple[Decimal | None, bool | None]]) -> Cohort:
    """Cohort figures from each reporting company's (change in percent, target met) for a year."""
    changes = tuple(sorted(c for c, _met in results if c is not None))
    judged = [m for _change, m in results if m is not None]
    return Cohort(len(results), len(judged), sum(1 for m in judged if m), changes)


def histogram(changes: Sequence[Decimal], edges: Sequence[Decimal] = BIN_EDGES) -> list[int]:
    """How many changes fall in each bin: below edges[0], [edges[i], edges[i+1]), and edges[-1] or above."""
    counts = [0] * (len(edges) + 1)
    for change in changes:
        index = sum(1 for edge in edges if change >= edge)
        counts[index] += 1
    return counts


def _signed(edge: Decimal) -> str:
    return f"{edge:+}" if edge else "0"


def bin_labels(edges: Sequence[Decimal] = BIN_EDGES) -> list[str]:
    """The bins of `histogram` as a reader names them: "-10%未満", "0%以上+5%未満", "+20%以上"."""
    labels = [_("%(edge)s%%未満") % {"edge": _signed(edges[0])}]
    labels += [
        _("%(low)s%%以上%(high)s%%未満") % {"low": _signed(low), "high": _signed(high)}
        for low, high in zip(edges, edges[1:], strict=False)
    ]
    labels.append(_("%(edge)s%%以上") % {"edge": _signed(edges[-1])})
    return labels


# --- The schedule ----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; a day the month lacks becomes its last (1/31 + 1 month = 2/28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def due_on(approved_on: dt.date, year: int, due_months: int) -> dt.date:
    """Year N's report is due `due_months` months after the N-th anniversary of the approval of
    the results report; year 0 (the baseline) is due with year 1."""
    return add_months(approved_on, 12 * max(year, 1) + due_months)
