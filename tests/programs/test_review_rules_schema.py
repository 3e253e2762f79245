"""The round's review rules as data (programs/schema.py): defaults, and each refusal with the
field it names. Pure: no database."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from pydantic import ValidationError

from dxgrant.programs.review_schema import ReviewRules
from dxgrant.programs.schema import AmountRule, ProgrammeDefinition, RoundFacts, RoundRules

SOURCE = tomllib.loads(Path(settings.DXGRANT_PROGRAMME_FILE).read_text(encoding="utf-8"))
ROUND = SOURCE["rounds"][0]
AMOUNT = ROUND["amount_rule"]


def refused(model: type, data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


def test_the_defaults_are_the_documented_ones():
    rules = ReviewRules()
    assert rules.reviewers_per_application == 3
    assert (rules.scale_min, rules.scale_max) == (1, 5)
    assert [level.score for level in rules.levels] == [5, 4, 3, 2, 1]
    assert rules.levels[0].label_ja == "優れている" and rules.levels[-1].label_ja == "不十分"
    assert rules.standardise is False and rules.blind is False
    assert rules.disagreement_range == Decimal("30") and rules.disagreement_stdev is None
    assert rules.criterion_floor == Decimal("1.5")
    assert rules.scoring_days == 14
    assert [item.check for item in rules.screening] == [
        "eligibility",
        "documents",
        "declarations",
        "training",
        "firm_certified",
        "fee_disclosure",
    ]
    assert "利益相反" in rules.confidentiality_terms_ja


def test_the_programme_file_gives_the_round_a_budget_and_the_default_review():
    definition = ProgrammeDefinition.model_validate(SOURCE)
    facts = definition.rounds[0]
    assert facts.budget_yen == 3_000_000_000
    assert facts.review == ReviewRules()
    assert facts.amount_rule.bands == []


def test_round_rules_read_the_stored_review_and_an_empty_one_is_the_defaults():
    stored = ReviewRules(reviewers_per_application=2, standardise=True).model_dump(mode="json")
    rules = RoundRules(
        eligibility={},
        rubric=[],
        amount_rule={},
        documents=[],
        training={},
        application={},
        review=stored,
        awards={},
    )
    assert rules.review.reviewers_per_application == 2 and rules.review.standardise is True
    assert rules.review.criterion_floor == Decimal("1.5")  # stored as "1.5", read as a Decimal
    empty = RoundRules(
        eligibility={},
        rubric=[],
        amount_rule={},
        documents=[],
        training={},
        application={},
        review={},
        awards={},
    )
    assert empty.review == ReviewRules()


def test_a_round_without_a_budget_is_refused():
    data = {key: value for key, value in ROUND.items() if key != "budget_yen"}
    assert "budget_yen" in refused(RoundFacts, data)
    assert "budget_yen" in refused(RoundFacts, ROUND | {"budget_yen": 0})
    assert "予算額が算定ルールの下限額より小さく" in refused(RoundFacts, ROUND | {"budget_yen": 999_999})


def test_bands_read_in_order_and_refusals_name_the_field():
    bands = [
        {"min_score": 60, "rate_numerator": 1, "rate_denominator": 2},
        {"min_score": "80.5", "rate_numerator": 2, "rate_denominator": 3},
    ]
    rule = AmountRule.model_validate(AMOUNT | {"bands": bands})
    assert rule.bands[1].min_score == Decimal("80.5")
    assert "小さい順に、重複なく" in refused(AmountRule, AMOUNT | {"bands": bands[::-1]})
    assert "小さい順に、重複なく" in refused(AmountRule, AMOUNT | {"bands": [bands[0], bands[0]]})
    over = [{"min_score": 60, "rate_numerator": 4, "rate_denominator": 3}]
    assert "助成率が100%を超えています" in refused(AmountRule, AMOUNT | {"bands": over})
    above_pass = [{"min_score": 70, "rate_numerator": 1, "rate_denominator": 2}]
    assert "合格点（pass_score）以下" in refused(AmountRule, AMOUNT | {"bands": above_pass})
    assert "min_score" in refused(
        AmountRule, AMOUNT | {"bands": [{"min_score": 101, "rate_numerator": 1, "rate_denominator": 2}]}
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"reviewers_per_application": 0}, "reviewers_per_application"),
        ({"reviewers_per_application": 11}, "reviewers_per_application"),
        ({"scale_min": 5, "scale_max": 5}, "評点の上限は下限より大きく"),
        ({"scale_min": 2}, "評価の目安の点数 1 が評点の範囲（2〜5）の外"),
        ({"levels": [{"score": 3, "label_ja": "a", "label_en": "a"}] * 2}, "重複"),
        ({"criterion_floor": "5"}, "criterion_floor"),
        ({"criterion_floor": "0.5"}, "criterion_floor"),
        ({"disagreement_range": 0}, "disagreement_range"),
        ({"disagreement_stdev": 101}, "disagreement_stdev"),
        ({"scoring_days": 0}, "scoring_days"),
        ({"confidentiality_terms_ja": "  "}, "confidentiality_terms_ja"),
        ({"screening": []}, "screening"),
        ({"screening": [{"code": "x", "label_ja": "a", "label_en": "a", "check": "telepathy"}]}, "check"),
        (
            {"screening": [{"code": "x", "label_ja": "a", "label_en": "a", "check": "manual"}] * 2},
            "screening: コードが重複しています",
        ),
        (
            {
                "screening": [
                    {"code": "a", "label_ja": "a", "label_en": "a", "check": "training"},
                    {"code": "b", "label_ja": "b", "label_en": "b", "check": "training"},
                ]
            },
            "同じ自動確認（check）が重複",
        ),
        ({"blind": "yes please"}, "blind"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_review_rules_refusals_name_the_field(change, expected):
    assert expected in refused(ReviewRules, change)


def test_a_wider_scale_keeps_the_default_descriptors_that_lie_inside_it():
    assert ReviewRules.model_validate({"scale_max": 10}).scale_max == 10


def test_manual_screening_items_may_repeat_their_check():
    items = [
        {"code": "site_visit", "label_ja": "現地確認", "label_en": "Site visit", "check": "manual"},
        {"code": "phone_call", "label_ja": "電話確認", "label_en": "Phone call", "check": "manual"},
    ]
    assert len(ReviewRules.model_validate({"screening": items}).screening) == 2


def test_a_criterions_levels_must_lie_inside_the_rounds_scale():
    rubric = [dict(c) for c in ROUND["rubric"]]
    rubric[0]["levels"] = [{"score": 6, "label_ja": "卓越", "label_en": "Outstanding"}]
    assert "rubric.feasibility.levels: 評価の目安の点数 6 が評点の範囲（1〜5）の外" in refused(
        RoundFacts, ROUND | {"rubric": rubric}
    )
    wider = ROUND | {"rubric": rubric, "review": {"scale_max": 6}}
    assert RoundFacts.model_validate(wider).rubric[0].levels[0].score == 6
