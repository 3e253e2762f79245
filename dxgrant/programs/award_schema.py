"""What follows a round's decision, as round data: `round.rules.awards`.

The conditions of the grant (交付条件) printed on every award notice, the period the applicant has
to accept them, how an award is paid (instalments), and the terms of a repayment demand. Every
default lives here and only here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from .schema_base import FieldName, Strict, Text, unique_codes


class Condition(Strict):
    """One condition of the grant (交付条件), printed on the award notice and accepted by the applicant."""

    code: FieldName
    title_ja: Text
    title_en: Text
    text_ja: Text
    text_en: Text


# When an instalment falls due.
InstalmentTrigger = Literal["acceptance", "results_report_approved"]


class Instalment(Strict):
    """One part of an award's payment: a share of the decided amount, due after an event."""

    code: FieldName
    label_ja: Text
    label_en: Text
    # Percent of the decided amount; the shares of a round add up to 100. The last instalment takes
    # what rounding leaves, so the instalments always add up to the amount exactly.
    share_percent: int = Field(ge=1, le=100)
    due_after: InstalmentTrigger


def _default_conditions() -> list[Condition]:
    return [
        Condition(
            code="reporting",
            title_ja="報告の義務",
            title_en="Reporting",
            text_ja="事業の実施状況と実績を、定められた期限までに報告してください。",
            text_en="Report on the project's progress and results by the dates set.",
        ),
        Condition(
            code="surveys",
            title_ja="調査・効果検証への協力",
            title_en="Surveys and verification",
            text_ja="事業の終了後も、事務局が行う調査と効果検証（数年間の指標の報告を含みます）に協力してください。",
            text_en=(
                "After the project, take part in the secretariat's surveys and in the verification of "
                "its effects, including the yearly indicator reports."
            ),
        ),
        Condition(
            code="cancellation",
            title_ja="交付決定の取消しと返還",
            title_en="Cancellation and repayment",
            text_ja=(
                "偽りの申請、目的外の使用、条件への違反があった場合は交付決定を取り消し、"
                "交付済みの額に加算金を付して返還を求めます。"
            ),
            text_en=(
                "If the application was false, the grant is used for another purpose or a condition is "
                "broken, the decision is cancelled and the amount paid must be repaid with an additional charge."
            ),
        ),
        Condition(
            code="assets",
            title_ja="取得財産の処分の制限",
            title_en="Assets bought with the grant",
            text_ja="助成金で取得した財産は、事務局の承認なく譲渡・貸与・担保提供・廃棄しないでください。",
            text_en=(
                "Do not sell, lend, pledge or discard assets bought with the grant without the "
                "secretariat's approval."
            ),
        ),
        Condition(
            code="records",
            title_ja="帳簿と証拠書類の保存",
            title_en="Keeping records",
            text_ja="経費の帳簿と証拠書類を、事業の終了後5年間保存してください。",
            text_en="Keep the accounts and evidence of every cost for five years after the project ends.",
        ),
    ]


def _default_instalments() -> list[Instalment]:
    return [
        Instalment(
            code="full",
            label_ja="一括交付",
            label_en="Single payment",
            share_percent=100,
            due_after="acceptance",
        )
    ]


class AwardRules(Strict):
    """After the decision: notices, acceptance, payment and repayment. Defaults here and only here."""

    conditions: list[Condition] = Field(default_factory=_default_conditions, min_length=1)
    # Days after the notice is issued within which the applicant accepts the conditions.
    acceptance_days: int = Field(default=30, ge=1, le=180)
    instalments: list[Instalment] = Field(default_factory=_default_instalments, min_length=1)
    # A repayment demand is due this many days after it is made.
    repayment_days: int = Field(default=20, ge=1, le=180)
    # Additional charge on a late repayment: percent a year, counted per day late (365-day year).
    late_charge_percent_per_year: Decimal = Field(default=Decimal("10.95"), ge=0, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> AwardRules:
        unique_codes(self.conditions, "conditions")
        unique_codes(self.instalments, "instalments")
        if sum(i.share_percent for i in self.instalments) != 100:
            raise ValueError("instalments: 分割交付の割合（share_percent）の合計は100である必要があります")
        return self
