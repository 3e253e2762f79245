"""How a round is reviewed (交付審査), as round data: `round.rules.review`.

Part of the programme definition's schema (programs/schema.py holds the rest: the rubric and the
amount rule with its score bands). Every default lives here and only here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from .schema_base import FieldName, Strict, Text, unique_codes


class Level(Strict):
    """A level descriptor (評価の目安) of one point on the round's scale."""

    score: int = Field(ge=0, le=100)
    label_ja: Text
    label_en: Text


def check_levels(levels: list[Level], scale_min: int, scale_max: int, what: str) -> None:
    scores = [level.score for level in levels]
    if len(set(scores)) != len(scores):
        raise ValueError(f"{what}: 同じ点数の評価の目安が重複しています")
    for score in scores:
        if not scale_min <= score <= scale_max:
            raise ValueError(
                f"{what}: 評価の目安の点数 {score} が評点の範囲（{scale_min}〜{scale_max}）の外にあります"
            )


ScreeningCheck = Literal[
    "eligibility", "documents", "declarations", "training", "firm_certified", "fee_disclosure", "manual"
]


class ScreeningItem(Strict):
    """One item of the screening checklist (形式審査). All but "manual" are pre-filled from the
    data with their evidence; the person confirms every item."""

    code: FieldName
    label_ja: Text
    label_en: Text
    check: ScreeningCheck


def _default_screening() -> list[ScreeningItem]:
    return [
        ScreeningItem(
            code="eligibility",
            label_ja="申請要件を提出時の内容で再確認した",
            label_en="Eligibility re-checked against the submitted version",
            check="eligibility",
        ),
        ScreeningItem(
            code="documents",
            label_ja="必要書類がそろい、開いて確認した",
            label_en="Required documents present and opened",
            check="documents",
        ),
        ScreeningItem(
            code="declarations",
            label_ja="宣誓・同意がすべてなされている",
            label_en="All declarations made",
            check="declarations",
        ),
        ScreeningItem(
            code="training",
            label_ja="申請者の研修受講が出席記録で確認できる",
            label_en="The applicant's training completed, by its check-ins",
            check="training",
        ),
        ScreeningItem(
            code="firm_certified",
            label_ja="提出時にアドバイザーの事業者が認定済みで停止中でなかった",
            label_en="The advisor's firm certified and not suspended at submission",
            check="firm_certified",
        ),
        ScreeningItem(
            code="fee_disclosure",
            label_ja="報酬の開示を申請者が確認している",
            label_en="The fee disclosure confirmed by the applicant",
            check="fee_disclosure",
        ),
    ]


def _default_levels() -> list[Level]:
    return [
        Level(score=5, label_ja="優れている", label_en="Excellent"),
        Level(score=4, label_ja="良い", label_en="Good"),
        Level(score=3, label_ja="標準的", label_en="Adequate"),
        Level(score=2, label_ja="やや不十分", label_en="Weak"),
        Level(score=1, label_ja="不十分", label_en="Insufficient"),
    ]


class ReviewRules(Strict):
    """How a round is reviewed (交付審査). Every field has its default here and only here."""

    reviewers_per_application: int = Field(default=3, ge=1, le=10)
    scale_min: int = Field(default=1, ge=0, le=100)
    scale_max: int = Field(default=5, ge=1, le=100)
    # Descriptors for the scale, for criteria without levels of their own. A round that changes
    # the scale gives levels for its scale.
    levels: list[Level] = Field(default_factory=_default_levels)
    # Each reviewer's totals as z-scores across that reviewer's applications (review/scoring.py).
    standardise: bool = False
    # Points out of 100 between the highest and lowest reviewer total that flag disagreement.
    disagreement_range: Decimal | None = Field(default=Decimal("30"), gt=0, le=100)
    # Population standard deviation of the reviewer totals (points out of 100) that flags it.
    disagreement_stdev: Decimal | None = Field(default=None, gt=0, le=100)
    # A criterion mean at or below this (on the scale) disqualifies; None: no such rule.
    criterion_floor: Decimal | None = Decimal("1.5")
    # Reviewers do not see the company's identity, except for the conflict check.
    blind: bool = False
    confidentiality_terms_ja: Text = (
        "審査で知り得た申請内容・企業情報・審査結果を第三者に漏らさず、審査以外の目的に使いません。"
        "申請者・アドバイザーと利害関係がある場合は、その申請を審査する前に利益相反を申告します。"
    )
    confidentiality_terms_en: Text = (
        "I will not disclose what I learn in the review (the applications, company information and "
        "results) to anyone, nor use it for anything but the review. Where I have an interest in an "
        "applicant or advisor, I will declare the conflict before I review that application."
    )
    # Scores are due this many days after the assignment.
    scoring_days: int = Field(default=14, ge=1, le=90)
    screening: list[ScreeningItem] = Field(default_factory=_default_screening, min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ReviewRules:
        if self.scale_min >= self.scale_max:
            raise ValueError("scale_max: 評点の上限は下限より大きくしてください")
        check_levels(self.levels, self.scale_min, self.scale_max, "levels")
        if self.criterion_floor is not None and not (self.scale_min <= self.criterion_floor < self.scale_max):
            raise ValueError(
                f"criterion_floor: 基準ごとの足切り点は評点の範囲（{self.scale_min}以上{self.scale_max}未満）"
                "で指定してください"
            )
        unique_codes(self.screening, "screening")
        checks = [item.check for item in self.screening if item.check != "manual"]
        if len(set(checks)) != len(checks):
            raise ValueError("screening: 同じ自動確認（check）が重複しています")
        return self
