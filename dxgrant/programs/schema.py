"""The shape of a programme definition file, checked before anything is written.

pydantic gives every refusal a path (`rounds.0.application_closes`) and a reason, which is what
an operator editing the file needs to see.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, TypeAdapter, model_validator

from dxgrant.japan.corporate_number import is_valid as is_valid_corporate_number

from .award_schema import AwardRules
from .reminder_schema import ReminderRules
from .reporting_schema import ReportingRules
from .review_schema import Level, ReviewRules, check_levels
from .schema_base import Code, FieldName, Operator, Scalar, Strict, Text, unique_codes


class TitledText(Strict):
    title_ja: Text
    title_en: Text
    body_ja: Text
    body_en: Text


class Note(Strict):
    text_ja: Text
    text_en: Text


class FAQ(Strict):
    question_ja: Text
    question_en: Text
    answer_ja: Text
    answer_en: Text


class ProgrammeFacts(Strict):
    code: Code
    name_ja: Text
    name_en: Text
    tagline_ja: Text
    tagline_en: Text
    summary_ja: Text
    summary_en: Text
    max_award_yen: int = Field(gt=0)
    award_basis_ja: Text
    award_basis_en: Text
    funding_ja: Text
    funding_en: Text


class OperatorFacts(Strict):
    legal_name_ja: Text
    legal_name_en: Text
    corporate_number: str = ""
    address_ja: str = ""
    phone: Text
    hours_ja: Text
    hours_en: Text
    contact_note_ja: Text
    contact_note_en: Text

    @model_validator(mode="after")
    def _check_corporate_number(self) -> OperatorFacts:
        if self.corporate_number and not is_valid_corporate_number(self.corporate_number):
            raise ValueError("corporate_number: 法人番号の形式またはチェックデジットが正しくありません")
        return self


class Condition(Strict):
    field: FieldName
    op: Operator
    value: Scalar | list[Scalar]


class Choice(Strict):
    value: FieldName
    label_ja: Text
    label_en: Text


class EligibilityField(Strict):
    name: FieldName
    type: Literal["choice", "integer", "boolean"]
    label_ja: Text
    label_en: Text
    help_ja: str = ""
    help_en: str = ""
    min: int | None = None
    max: int | None = None
    # A number typed as people would type it, shown in the message for a wrong entry.
    example: str = ""
    choices: list[Choice] = []
    required_when: Condition | None = None

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> EligibilityField:
        if self.type == "choice" and not self.choices:
            raise ValueError("choices: 選択式の項目には選択肢が必要です")
        if self.type != "choice" and self.choices:
            raise ValueError("choices: 選択肢は選択式の項目にだけ指定できます")
        return self


class EligibilityRule(Condition):
    code: FieldName
    when: Condition | None = None
    message_ja: Text
    message_en: Text


class Eligibility(Strict):
    fields: list[EligibilityField] = Field(min_length=1)
    rules: list[EligibilityRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _rules_name_known_fields(self) -> Eligibility:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("fields: 項目名が重複しています")
        codes = [r.code for r in self.rules]
        if len(set(codes)) != len(codes):
            raise ValueError("rules: ルールのコードが重複しています")
        for rule in self.rules:
            for cond in (rule, rule.when):
                if cond is not None and cond.field not in names:
                    raise ValueError(f"rules.{rule.code}: 未定義の項目 '{cond.field}' を参照しています")
        return self


class Criterion(Strict):
    code: FieldName
    name_ja: Text
    name_en: Text
    weight: int = Field(gt=0, le=100)
    description_ja: Text
    description_en: Text
    # The level descriptors of this criterion; empty: the round's review.levels apply.
    levels: list[Level] = []


class ScoreBand(Strict):
    """From `min_score` (total out of 100) upwards, until the next band, this rate applies."""

    min_score: Decimal = Field(ge=0, le=100)
    rate_numerator: int = Field(gt=0)
    rate_denominator: int = Field(gt=0)

    @model_validator(mode="after")
    def _rate(self) -> ScoreBand:
        if self.rate_numerator > self.rate_denominator:
            raise ValueError("rate_numerator: 助成率が100%を超えています")
        return self


class AmountRule(Strict):
    cap_yen: int = Field(gt=0)
    floor_yen: int = Field(ge=0)
    rate_numerator: int = Field(gt=0)
    rate_denominator: int = Field(gt=0)
    rounding_unit_yen: int = Field(gt=0)
    rounding: Literal["down", "nearest"]
    pass_score: int = Field(ge=0, le=100)
    # Where the round defines bands, the rate is the band's for the total score (the band with
    # the highest min_score at or below it); without bands, the single rate above.
    bands: list[ScoreBand] = []

    @model_validator(mode="after")
    def _consistent(self) -> AmountRule:
        if self.floor_yen > self.cap_yen:
            raise ValueError("floor_yen: 下限額が上限額を超えています")
        if self.rate_numerator > self.rate_denominator:
            raise ValueError("rate_numerator: 助成率が100%を超えています")
        minima = [band.min_score for band in self.bands]
        if any(low >= high for low, high in zip(minima, minima[1:], strict=False)):
            raise ValueError("bands: 点数帯は min_score の小さい順に、重複なく並べてください")
        if minima and minima[0] > self.pass_score:
            raise ValueError(
                "bands: 最初の点数帯の min_score は合格点（pass_score）以下にしてください"
                "（合格点以上のどの点数にも助成率が決まるように）"
            )
        return self


class Document(Strict):
    code: FieldName
    name_ja: Text
    name_en: Text
    description_ja: str = ""
    description_en: str = ""
    upload: bool
    formats: list[Literal["pdf", "png", "jpeg", "xlsx", "docx"]] = []


class Declaration(Strict):
    key: FieldName
    version: int = Field(ge=1)
    text_ja: Text
    text_en: Text


class QuizChoice(Strict):
    value: FieldName
    label_ja: Text
    label_en: Text


class QuizQuestion(Strict):
    code: FieldName
    question_ja: Text
    question_en: Text
    choices: list[QuizChoice] = Field(min_length=2)
    answer: FieldName

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> QuizQuestion:
        if self.answer not in {c.value for c in self.choices}:
            raise ValueError(f"answer: '{self.answer}' は選択肢にありません")
        return self


class CertificationDocument(Strict):
    code: FieldName
    name_ja: Text
    name_en: Text
    required: bool
    formats: list[Literal["pdf", "png", "jpeg"]] = Field(min_length=1)


class AdvisorCertification(Strict):
    number_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    validity_months: int = Field(ge=1, le=120)
    advance_fee_flag_yen: int = Field(ge=0)
    success_fee_flag_percent: int = Field(ge=0, le=100)
    documents: list[CertificationDocument] = []
    declarations: list[Declaration] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> AdvisorCertification:
        unique_codes(self.documents, "documents")
        keys = [d.key for d in self.declarations]
        if len(set(keys)) != len(keys):
            raise ValueError("declarations: 同じ宣誓項目が重複しています")
        return self


class CourseModule(Strict):
    code: FieldName
    title_ja: Text
    title_en: Text
    body_ja: Text
    body_en: Text


class AdvisorCourse(Strict):
    version: int = Field(ge=1)
    pass_mark_percent: int = Field(ge=1, le=100)
    modules: list[CourseModule] = Field(min_length=1)
    quiz: list[QuizQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> AdvisorCourse:
        unique_codes(self.modules, "modules")
        unique_codes(self.quiz, "quiz")
        return self


class CurriculumUnit(Strict):
    code: FieldName
    title_ja: Text
    title_en: Text
    hours: float = Field(gt=0, le=24)
    topics_ja: Text
    topics_en: Text


class Training(Strict):
    required_hours: float = Field(ge=0)
    pass_mark_percent: int = Field(ge=1, le=100)
    checkin_grace_minutes: int = Field(ge=0, le=120)
    curriculum: list[CurriculumUnit] = Field(min_length=1)
    quiz: list[QuizQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Training:
        unique_codes(self.curriculum, "curriculum")
        unique_codes(self.quiz, "quiz")
        return self


class Option(Strict):
    value: FieldName
    label_ja: Text
    label_en: Text


class PlanSectionSpec(Strict):
    code: FieldName
    title_ja: Text
    title_en: Text
    max_chars: int = Field(gt=0, le=20000)
    help_ja: str = ""
    help_en: str = ""


class SubmissionRequirements(Strict):
    """What the applicant must have done with their advisor before the application is marked
    ready for their confirmation or submitted: the programme makes the advisor's advice and
    training conditions. Each is checked by the workflow's guard `support_requirements_met`."""

    # At least one hearing record (ヒアリング記録) of the engagement the applicant confirmed.
    hearing_confirmed: bool = True
    # The round's training.required_hours, attended by the company's own check-ins.
    training_hours: bool = True
    # The training's comprehension quiz passed (by the person who attended the hours).
    training_quiz: bool = True


class ApplicationRules(Strict):
    invitation_valid_hours: int = Field(ge=1, le=24 * 60)
    return_period_days: int = Field(ge=1, le=365)
    quote_threshold_yen: int = Field(ge=0)
    receipt_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,5}$")]
    max_upload_mb: int = Field(ge=1, le=100)
    technology_categories: list[Option] = Field(min_length=1)
    budget_categories: list[Option] = Field(min_length=1)
    plan_sections: list[PlanSectionSpec] = Field(min_length=1)
    requirements: SubmissionRequirements = SubmissionRequirements()

    @model_validator(mode="after")
    def _unique(self) -> ApplicationRules:
        unique_codes(self.plan_sections, "plan_sections")
        return self


class ScheduleItem(Strict):
    label_ja: Text
    label_en: Text
    starts: dt.date
    ends: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleItem:
        if self.ends is not None and self.ends < self.starts:
            raise ValueError("ends: 終了日が開始日より前です")
        return self


class RoundFacts(Strict):
    code: Code
    name_ja: Text
    name_en: Text
    application_opens: dt.date
    application_closes: dt.date
    programme_period_starts: dt.date
    programme_period_ends: dt.date
    max_award_yen: int = Field(gt=0)
    # The round's budget (予算額): the committee funds proposals in rank order within it.
    budget_yen: int = Field(gt=0)
    schedule_note_ja: Text
    schedule_note_en: Text
    data_notes: list[str] = []
    schedule: list[ScheduleItem] = []
    eligibility: Eligibility
    participation: list[Note] = []
    rubric: list[Criterion] = Field(min_length=1)
    amount_rule: AmountRule
    documents: list[Document] = []
    declarations: list[Declaration] = []
    training: Training
    application: ApplicationRules
    review: ReviewRules = ReviewRules()
    awards: AwardRules = AwardRules()
    reminders: ReminderRules = ReminderRules()
    reporting: ReportingRules = ReportingRules()

    @model_validator(mode="after")
    def _consistent(self) -> RoundFacts:
        if self.application_closes < self.application_opens:
            raise ValueError("application_closes: 申請締切日が申請開始日より前です")
        if self.programme_period_ends < self.programme_period_starts:
            raise ValueError("programme_period_ends: 対象期間の終了日が開始日より前です")
        if sum(c.weight for c in self.rubric) != 100:
            raise ValueError("rubric: 審査基準の配点（weight）の合計は100である必要があります")
        if self.amount_rule.cap_yen > self.max_award_yen:
            raise ValueError("amount_rule.cap_yen: 算定上限が支援金額の上限を超えています")
        if self.budget_yen < self.amount_rule.floor_yen:
            raise ValueError("budget_yen: 予算額が算定ルールの下限額より小さく、どの申請にも交付できません")
        for criterion in self.rubric:
            check_levels(
                criterion.levels,
                self.review.scale_min,
                self.review.scale_max,
                f"rubric.{criterion.code}.levels",
            )
        keys = [(d.key, d.version) for d in self.declarations]
        if len(set(keys)) != len(keys):
            raise ValueError("declarations: 同じ宣誓項目・版が重複しています")
        return self


class ProgrammeDefinition(Strict):
    schema_version: Literal[1]
    programme: ProgrammeFacts
    operator: OperatorFacts
    audiences: list[TitledText] = []
    support: list[TitledText] = []
    flow: list[TitledText] = Field(min_length=1)
    notes: list[Note] = []
    faq: list[FAQ] = []
    rounds: list[RoundFacts] = Field(min_length=1)
    advisor_certification: AdvisorCertification
    advisor_course: AdvisorCourse

    @model_validator(mode="after")
    def _unique_rounds(self) -> ProgrammeDefinition:
        codes = [r.code for r in self.rounds]
        if len(set(codes)) != len(codes):
            raise ValueError("rounds: 公募回のコードが重複しています")
        for r in self.rounds:
            if r.max_award_yen > self.programme.max_award_yen:
                raise ValueError(f"rounds.{r.code}.max_award_yen: 制度の上限額を超えています")
        return self

    def content(self) -> dict[str, Any]:
        """Texts shown on the public site, stored as they are."""
        return self.model_dump(
            mode="json", include={"operator", "audiences", "support", "flow", "notes", "faq"}
        ) | {"programme": self.programme.model_dump(mode="json")}


class RoundRules:
    """A round's rules as the validated models above, parsed once per round object.

    Code reads `round.rules.application.quote_threshold_yen`, never the stored JSON with a
    default of its own: each default lives in one place, the schema.
    """

    def __init__(
        self,
        *,
        eligibility: Any,
        rubric: Any,
        amount_rule: Any,
        documents: Any,
        training: Any,
        application: Any,
        review: Any,
        awards: Any,
        reminders: Any = None,
        reporting: Any = None,
    ) -> None:
        self._raw = {
            "eligibility": eligibility,
            "rubric": rubric,
            "amount_rule": amount_rule,
            "documents": documents,
            "training": training,
            "application": application,
            "review": review,
            "awards": awards,
            "reminders": reminders or {},
            "reporting": reporting or {},
        }

    @cached_property
    def eligibility(self) -> Eligibility:
        return Eligibility.model_validate(self._raw["eligibility"])

    @cached_property
    def rubric(self) -> list[Criterion]:
        return TypeAdapter(list[Criterion]).validate_python(self._raw["rubric"])

    @cached_property
    def amount_rule(self) -> AmountRule:
        return AmountRule.model_validate(self._raw["amount_rule"])

    @cached_property
    def documents(self) -> list[Document]:
        return TypeAdapter(list[Document]).validate_python(self._raw["documents"])

    @cached_property
    def training(self) -> Training:
        return Training.model_validate(self._raw["training"])

    @cached_property
    def application(self) -> ApplicationRules:
        return ApplicationRules.model_validate(self._raw["application"])

    @cached_property
    def review(self) -> ReviewRules:
        return ReviewRules.model_validate(self._raw["review"])

    @cached_property
    def awards(self) -> AwardRules:
        return AwardRules.model_validate(self._raw["awards"])

    @cached_property
    def reminders(self) -> ReminderRules:
        return ReminderRules.model_validate(self._raw["reminders"])

    @cached_property
    def reporting(self) -> ReportingRules:
        return ReportingRules.model_validate(self._raw["reporting"])
