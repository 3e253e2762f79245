"""The KPI arithmetic (reporting/kpi.py): worked examples held to docs/kpi.md, and properties."""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxgrant.reporting import kpi

DOC = (Path(__file__).resolve().parents[2] / "docs" / "kpi.md").read_text()

YEAR0 = kpi.Figures(380_000_000, 20_000_000, 60_000_000, 5_000_000, D("15.0"))
YEAR3 = kpi.Figures(430_000_000, 30_000_000, 66_000_000, 8_000_000, D("16.0"))


def test_example_1_a_manufacturer_that_grew_but_missed_its_target():
    assert kpi.value_added(YEAR0) == 85_000_000
    assert kpi.value_added(YEAR3) == 104_000_000
    base, year3 = kpi.labour_productivity(YEAR0), kpi.labour_productivity(YEAR3)
    assert (base, year3) == (D("5666667"), D("6500000"))
    change = kpi.change_percent(base, year3)
    assert change == D("14.7")
    assert kpi.annual_growth_percent(base, year3, 3) == D("4.7")
    target = kpi.target_growth_percent({"baseline": 5200, "year3": 6300}, 3)
    assert target == D("21.2")
    assert kpi.met(change, target) is False
    for shown in (
        "85,000,000円",
        "104,000,000円",
        "5,666,667円/人",
        "6,500,000円/人",
        "+14.7%",
        "+4.7%",
        "+21.2%",
    ):
        assert shown in DOC


def test_example_2_an_operating_loss():
    figures = kpi.Figures(50_000_000, -3_000_000, 12_000_000, 1_000_000, D("2.5"))
    assert kpi.value_added(figures) == 10_000_000
    assert kpi.labour_productivity(figures) == D("4000000")
    assert "付加価値額 = 10,000,000円, 労働生産性 = 10,000,000 ÷ 2.5 = 4,000,000円/人" in DOC


def test_example_3_a_cohort():
    cohort = kpi.cohort([(D("-5.0"), False), (D("2.0"), None), (D("8.0"), True), (D("12.5"), True)])
    assert (cohort.reported, cohort.with_target, cohort.met) == (4, 3, 2)
    assert cohort.share_met == D("66.7")
    assert (cohort.median, cohort.lower_quartile, cohort.upper_quartile) == (D("5.0"), D("0.3"), D("9.1"))
    assert kpi.histogram(cohort.changes) == [0, 1, 1, 1, 1, 0]
    assert "2 ÷ 3 = 66.7%" in DOC and "= +5.0%" in DOC and "0.25 → 0.3%" in DOC and "9.125 → 9.1%" in DOC
    assert "0, 1, 1, 1, 1, 0" in DOC


def test_zero_employees_is_refused_with_a_message_and_never_divided_by():
    figures = kpi.Figures(1, 1, 1, 1, D("0"))
    assert "従業員数" in kpi.problems(figures)["employees"]
    with pytest.raises(ValueError):
        kpi.labour_productivity(figures)


def test_problems_name_each_field():
    bad = kpi.Figures(-1, -5, -1, -1, D("1.25"))
    assert set(kpi.problems(bad)) == {"sales_yen", "personnel_costs_yen", "depreciation_yen", "employees"}
    assert kpi.problems(kpi.Figures(0, -5, 0, 0, D("0.5"))) == {}  # an operating loss is allowed


def test_no_change_and_no_growth_against_a_baseline_of_zero_or_less():
    assert kpi.change_percent(D(0), D(100)) is None
    assert kpi.change_percent(D(-10), D(100)) is None
    assert kpi.annual_growth_percent(D(100), D(-1), 2) is None


def test_targets_from_the_plan():
    row = {"baseline": "5,2", "year1": ""}
    assert kpi.target_growth_percent(row, 1) is None
    assert kpi.target_growth_percent({"baseline": 0, "year1": 10}, 1) is None
    assert kpi.met(None, D(1)) is None and kpi.met(D("1.0"), D("1.0")) is True


def test_a_free_kpi_is_met_in_the_direction_of_the_plan():
    loss = {"baseline": 6.0, "year1": 4.5}
    assert kpi.free_target_met(loss, 1, D("4.5")) is True
    assert kpi.free_target_met(loss, 1, D("4.6")) is False
    visits = {"baseline": 100, "year1": 120}
    assert kpi.free_target_met(visits, 1, D("119")) is False
    assert kpi.free_target_met(visits, 2, D("200")) is None


def test_bin_labels():
    assert kpi.bin_labels()[0] == "-10%未満"
    assert kpi.bin_labels()[2] == "0%以上+5%未満"
    assert len(kpi.bin_labels()) == len(kpi.histogram([])) == 6


yen = st.integers(min_value=0, max_value=10**12)
profit = st.integers(min_value=-(10**12), max_value=10**12)
employees = st.integers(min_value=1, max_value=999_999).map(lambda n: D(n) / 10)


@given(profit, yen, yen, profit, yen, yen, employees)
def test_value_added_is_additive(op1, pc1, dep1, op2, pc2, dep2, people):
    a = kpi.Figures(0, op1, pc1, dep1, people)
    b = kpi.Figures(0, op2, pc2, dep2, people)
    both = kpi.Figures(0, op1 + op2, pc1 + pc2, dep1 + dep2, people)
    assert kpi.value_added(both) == kpi.value_added(a) + kpi.value_added(b)


@given(profit, yen, yen, employees, st.integers(min_value=1, max_value=20))
def test_productivity_scales(op, pc, dep, people, k):
    """k times the value added for k times the people is the same productivity; k times the
    value added for the same people is k times it (within the rounding to the yen)."""
    one = kpi.labour_productivity(kpi.Figures(0, op, pc, dep, people))
    assert kpi.labour_productivity(kpi.Figures(0, op * k, pc * k, dep * k, people * k)) == one
    scaled = kpi.labour_productivity(kpi.Figures(0, op * k, pc * k, dep * k, people))
    assert abs(scaled - one * k) <= D(k)


@given(st.lists(st.decimals(min_value=-100, max_value=1000, places=1), min_size=1, max_size=40))
def test_median_and_quartiles_lie_within_the_range_in_order(values):
    cohort = kpi.cohort([(v, None) for v in values])
    assert cohort.lowest is not None and cohort.highest is not None
    assert cohort.lowest <= cohort.lower_quartile <= cohort.median <= cohort.upper_quartile <= cohort.highest
    assert sum(kpi.histogram(cohort.changes)) == len(values)


@given(
    st.decimals(min_value=1, max_value=10**9, places=0),
    st.decimals(min_value=1, max_value=10**9, places=0),
    st.integers(1, 10),
)
def test_growth_has_the_sign_of_the_change(base, value, years):
    change = kpi.change_percent(base, value)
    growth = kpi.annual_growth_percent(base, value, years)
    assert change is not None and growth is not None
    assert (change > 0) == (value > base) or change == 0
    assert abs(growth) <= abs(change) + D("0.1")


def test_due_dates_count_whole_months_and_clamp_to_the_month_end():
    assert kpi.due_on(dt.date(2027, 11, 30), 1, 3) == dt.date(2029, 2, 28)
    assert kpi.due_on(dt.date(2027, 11, 30), 0, 3) == kpi.due_on(dt.date(2027, 11, 30), 1, 3)
    assert kpi.due_on(dt.date(2028, 2, 29), 3, 3) == dt.date(2031, 5, 29)
    assert "approved on 30 November 2027, year 1 is due on 28 February 2029" in DOC
