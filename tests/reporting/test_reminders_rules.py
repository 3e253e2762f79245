"""The pure rules of reminders: business days before a due date (weekends, public holidays, the
New Year break), escalation after it, and which steps a run sends."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from dxgrant.programs.reminder_schema import ReminderRules
from dxgrant.reporting.reminders import Audience, business_days_before, due_steps, schedule

D = dt.date
RULES = ReminderRules()


def test_defaults_are_five_and_one_days_before_then_advisor_and_secretariat():
    assert RULES.before_business_days == [5, 1]
    assert (RULES.advisor_after_business_days, RULES.secretariat_after_business_days) == (1, 3)


def test_before_skips_the_weekend():
    # Wed 2 Dec 2026: 1 Dec, 30 Nov, (weekend), 27, 26, 25 Nov.
    assert business_days_before(D(2026, 12, 2), 1) == D(2026, 12, 1)
    assert business_days_before(D(2026, 12, 2), 5) == D(2026, 11, 25)
    # Monday's day before is Friday.
    assert business_days_before(D(2026, 11, 30), 1) == D(2026, 11, 27)


def test_before_skips_golden_week():
    # Thu 7 May 2026: 6 May 振替休日, 5 こどもの日, 4 みどりの日, 2-3 weekend.
    assert business_days_before(D(2026, 5, 7), 1) == D(2026, 5, 1)
    assert business_days_before(D(2026, 5, 7), 2) == D(2026, 4, 30)


def test_before_skips_the_new_year_break():
    # Tue 5 Jan 2027: Mon 4 Jan is open; 1-3 Jan and 29-31 Dec are closed.
    assert business_days_before(D(2027, 1, 5), 1) == D(2027, 1, 4)
    assert business_days_before(D(2027, 1, 5), 2) == D(2026, 12, 28)


def test_before_refuses_zero():
    with pytest.raises(ValueError):
        business_days_before(D(2026, 12, 2), 0)


def test_escalation_after_a_due_date_before_the_new_year_break():
    steps = {s.code: s for s in schedule(D(2026, 12, 28), RULES)}
    assert steps["advisor"].send_on == D(2027, 1, 4)
    assert steps["advisor"].audience == Audience.ADVISOR
    assert steps["secretariat"].send_on == D(2027, 1, 6)
    assert steps["secretariat"].audience == Audience.SECRETARIAT


def test_escalation_skips_a_holiday():
    # Fri 20 Nov 2026; Mon 23 Nov is 勤労感謝の日.
    steps = {s.code: s for s in schedule(D(2026, 11, 20), RULES)}
    assert steps["advisor"].send_on == D(2026, 11, 24)
    assert steps["secretariat"].send_on == D(2026, 11, 26)


def test_the_schedule_in_order():
    assert [(s.code, s.send_on) for s in schedule(D(2026, 12, 2), RULES)] == [
        ("before-5", D(2026, 11, 25)),
        ("before-1", D(2026, 12, 1)),
        ("advisor", D(2026, 12, 3)),
        ("secretariat", D(2026, 12, 7)),
    ]


@pytest.mark.parametrize(
    ("today", "codes"),
    [
        (D(2026, 11, 24), []),
        (D(2026, 11, 25), ["before-5"]),
        (D(2026, 11, 30), ["before-5"]),
        # Catching up sends the latest reminder only, never the stale one as well.
        (D(2026, 12, 1), ["before-1"]),
        (D(2026, 12, 2), ["before-1"]),
        # Past the due date: no reminder, escalations instead.
        (D(2026, 12, 3), ["advisor"]),
        (D(2026, 12, 4), ["advisor"]),
        (D(2026, 12, 7), ["advisor", "secretariat"]),
        (D(2027, 3, 1), ["advisor", "secretariat"]),
    ],
)
def test_due_steps(today, codes):
    assert [s.code for s in due_steps(D(2026, 12, 2), today, RULES)] == codes


def test_round_data_sets_other_offsets():
    rules = ReminderRules(
        before_business_days=[10, 3], advisor_after_business_days=2, secretariat_after_business_days=5
    )
    assert [s.code for s in schedule(D(2026, 12, 2), rules)] == [
        "before-10",
        "before-3",
        "advisor",
        "secretariat",
    ]
    assert [s.code for s in due_steps(D(2026, 12, 2), D(2026, 12, 3), rules)] == []


@pytest.mark.parametrize(
    "bad",
    [
        {"before_business_days": [1, 1]},
        {"before_business_days": [0]},
        {"advisor_after_business_days": 3, "secretariat_after_business_days": 3},
        {"unknown": 1},
    ],
)
def test_bad_round_data_is_refused(bad):
    with pytest.raises(ValidationError):
        ReminderRules(**bad)


def test_a_round_without_the_section_has_the_defaults(programme):
    round_obj = programme.rounds.first()
    assert round_obj.reminder_rules in ({}, ReminderRules().model_dump(mode="json"))
    assert round_obj.rules.reminders == RULES
