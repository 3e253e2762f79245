"""The round's award rules as data (programs/award_schema.py): defaults, stored rules read back,
and each refusal with the field it names. Pure: no database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from dxgrant.programs.award_schema import AwardRules
from dxgrant.programs.schema import RoundRules


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        AwardRules.model_validate(data)
    return str(caught.value)


def test_the_defaults_pay_once_after_acceptance_and_print_five_conditions():
    rules = AwardRules()
    assert [c.code for c in rules.conditions] == ["reporting", "surveys", "cancellation", "assets", "records"]
    assert [(i.share_percent, i.due_after) for i in rules.instalments] == [(100, "acceptance")]
    assert rules.acceptance_days == 30 and rules.repayment_days == 20
    assert rules.late_charge_percent_per_year == Decimal("10.95")


def test_stored_rules_are_read_back_and_an_empty_one_is_the_defaults():
    stored = AwardRules(
        acceptance_days=14,
        instalments=[
            {
                "code": "first",
                "label_ja": "初回",
                "label_en": "First",
                "share_percent": 50,
                "due_after": "acceptance",
            },
            {
                "code": "rest",
                "label_ja": "残額",
                "label_en": "Rest",
                "share_percent": 50,
                "due_after": "results_report_approved",
            },
        ],
    ).model_dump(mode="json")
    empty: dict[str, Any] = {}
    rules = RoundRules(
        eligibility={},
        rubric=[],
        amount_rule={},
        documents=[],
        training={},
        application={},
        review={},
        awards=stored,
    )
    assert rules.awards.acceptance_days == 14
    assert [i.due_after for i in rules.awards.instalments] == ["acceptance", "results_report_approved"]
    blank = RoundRules(
        eligibility={},
        rubric=[],
        amount_rule={},
        documents=[],
        training={},
        application={},
        review={},
        awards=empty,
    )
    assert blank.awards == AwardRules()


def test_instalment_shares_must_add_up_to_100():
    half = {
        "code": "half",
        "label_ja": "半額",
        "label_en": "Half",
        "share_percent": 50,
        "due_after": "acceptance",
    }
    assert "instalments" in refused({"instalments": [half]})
    assert "合計は100" in refused({"instalments": [half]})


def test_duplicate_codes_and_unknown_triggers_are_refused():
    condition = AwardRules().conditions[0].model_dump()
    assert "conditions" in refused({"conditions": [condition, condition]})
    bad = {"code": "x1", "label_ja": "x", "label_en": "x", "share_percent": 100, "due_after": "someday"}
    assert "due_after" in refused({"instalments": [bad]})
    assert "acceptance_days" in refused({"acceptance_days": 0})
