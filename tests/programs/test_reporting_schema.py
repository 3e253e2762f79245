"""Round data of the follow-up after the grant: `round.rules.reporting`."""

import pytest
from pydantic import ValidationError

from dxgrant.programs.reporting_schema import ReportingRules


def test_defaults():
    rules = ReportingRules()
    assert rules.kpi_years == 3
    assert rules.support_report_due_day == 10
    assert [e.code for e in rules.evidence] == [
        "quotation",
        "order",
        "delivery",
        "invoice",
        "payment",
        "photo",
    ]
    assert [e.code for e in rules.evidence if e.dated] == [
        "quotation",
        "order",
        "delivery",
        "invoice",
        "payment",
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"kpi_years": 0},
        {"support_report_due_day": 31},
        {"plan_change_max_shift_percent": 101},
        {"evidence": []},
        {
            "evidence": [
                {"code": "a", "label_ja": "a", "label_en": "a"},
                {"code": "a", "label_ja": "b", "label_en": "b"},
            ]
        },
        {"unknown": 1},
    ],
)
def test_bad_round_data_is_refused(bad):
    with pytest.raises(ValidationError):
        ReportingRules(**bad)


def test_a_round_without_the_section_has_the_defaults(programme):
    round_obj = programme.rounds.first()
    assert round_obj.reporting_rules in ({}, ReportingRules().model_dump(mode="json"))
    assert round_obj.rules.reporting == ReportingRules()
