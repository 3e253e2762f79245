"""Where each section of the application stands (the task list), what is missing, and whether the
company meets the round's eligibility rules. Read-only: one query per part, judged by the pure
rules of each part (plan_rules, budget_rules, document_rules). The guard "ready_to_submit"
(guards.py) asks `readiness_problems`; a page computes the task list once
(selectors.application_page) and the guard reuses it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.programs.eligibility import EligibilityResult, evaluate
from dxgrant.programs.models import DeclarationText
from dxgrant.support.training_status import support_record

from . import budget_rules, document_rules, plan_rules
from .models import Application, EntityType

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START = "cannot_start"

STATUS_LABELS: dict[str, Promise] = {
    NOT_STARTED: gettext_lazy("未着手"),
    IN_PROGRESS: gettext_lazy("入力中"),
    COMPLETED: gettext_lazy("完了"),
    CANNOT_START: gettext_lazy("まだ開始できません"),
}

ELIGIBILITY_FACTS = ("entity_type", "employees", "capital_yen", "antisocial_ties", "legal_compliance")

# Profile fields every applicant fills in; corporations also give the ones below.
REQUIRED_PROFILE = (
    "entity_type",
    "company_name",
    "company_name_kana",
    "representative_name",
    "representative_name_kana",
    "postal_code",
    "prefecture",
    "city",
    "address_line",
    "phone",
    "industry",
    "employees",
    "founded_on",
    "fiscal_year_end_month",
    "sales_last_yen",
    "sales_previous_yen",
    "operating_profit_last_yen",
    "operating_profit_previous_yen",
    "antisocial_ties",
    "legal_compliance",
)
REQUIRED_FOR_CORPORATIONS = ("legal_form", "corporate_number", "capital_yen")
REQUIRED_DISCLOSURE = ("fee_amount_yen", "fee_basis", "fee_timing", "advisor_sells_budget_items")


def _missing(application: Application, names: tuple[str, ...]) -> list[str]:
    problems = []
    for name in names:
        value = getattr(application, name)
        if value is None or value == "":
            label = getattr(Application._meta.get_field(name), "verbose_name", name)
            problems.append(_("%(field)sを入力してください。") % {"field": label})
    return problems


def eligibility_facts(application: Application) -> dict[str, Any]:
    return {name: getattr(application, name) for name in ELIGIBILITY_FACTS}


def eligibility_missing(application: Application) -> list[str]:
    """The eligibility facts not yet answered (the judgement waits for them)."""
    names = [n for n in ELIGIBILITY_FACTS if n != "capital_yen"]
    if application.entity_type == EntityType.CORPORATION:
        names.append("capital_yen")
    return [
        str(getattr(Application._meta.get_field(n), "verbose_name", n))
        for n in names
        if getattr(application, n) in (None, "")
    ]


def eligibility(application: Application) -> EligibilityResult:
    """The round's rules applied to the profile; each failed rule carries its reason."""
    return evaluate(application.round.eligibility, eligibility_facts(application))


def profile_problems(application: Application) -> list[str]:
    names: tuple[str, ...] = REQUIRED_PROFILE
    if application.entity_type == EntityType.CORPORATION:
        names = names + REQUIRED_FOR_CORPORATIONS
    return _missing(application, names)


def _status(started: bool, problems: list[str]) -> str:
    if not started:
        return NOT_STARTED
    return IN_PROGRESS if problems else COMPLETED


def profile_part(application: Application) -> tuple[str, list[str]]:
    """(status, problems) of the company profile. No query."""
    problems = profile_problems(application)
    return _status(application.profile_revision != 0, problems), problems


def profile_status(application: Application) -> str:
    return profile_part(application)[0]


def disclosure_confirmed(application: Application) -> bool:
    return (
        application.disclosure_confirmed_revision is not None
        and application.disclosure_confirmed_revision == application.disclosure_revision
    )


def disclosure_problems(application: Application) -> list[str]:
    problems = _missing(application, REQUIRED_DISCLOSURE)
    if application.advisor_sells_budget_items and not application.advisor_sales_disclosure:
        problems.append(_("アドバイザーまたは関係者が販売する品目を記載してください。"))
    if not problems and not disclosure_confirmed(application):
        problems.append(_("申請者がアドバイザーの報酬・独立性の開示をまだ確認していません。"))
    return problems


def disclosure_part(application: Application) -> tuple[str, list[str]]:
    """(status, problems) of the advisor's disclosure. No query."""
    problems = disclosure_problems(application)
    return _status(application.disclosure_revision != 0, problems), problems


def disclosure_status(application: Application) -> str:
    return disclosure_part(application)[0]


def current_declarations(application: Application) -> list[DeclarationText]:
    """The newest version of each of the round's declarations, by key."""
    latest: dict[str, DeclarationText] = {}
    for text in DeclarationText.objects.filter(round_id=application.round_id).order_by("key", "-version"):
        latest.setdefault(text.key, text)
    return list(latest.values())


def accepted_declaration_ids(application: Application) -> set[int]:
    return set(application.declarations.values_list("declaration_id", flat=True))


def declarations_part(application: Application) -> tuple[str, list[str]]:
    """(status, problems) of the declarations. Two queries: the accepted ones, the round's texts."""
    accepted = accepted_declaration_ids(application)
    missing = [d for d in current_declarations(application) if d.pk not in accepted]
    problems = []
    if missing:
        problems.append(
            _("宣誓・同意が%(n)d件残っています（申請者ご本人が行います）。") % {"n": len(missing)}
        )
    return _status(bool(accepted), problems), problems


def declarations_problems(application: Application) -> list[str]:
    return declarations_part(application)[1]


def declarations_status(application: Application) -> str:
    return declarations_part(application)[0]


def plan_part(application: Application) -> tuple[str, list[str]]:
    """(status, problems) of the business plan. One query (its sections)."""
    saved = {s.code: s for s in application.plan_sections.all()}
    problems = plan_rules.problems(application.round, saved)
    return plan_rules.status(saved, problems), problems


def budget_part(application: Application) -> tuple[str, list[str]]:
    """(status, problems) of the budget. One query (its lines with their quotations counted:
    how many, from how many suppliers, the cheapest and the chosen one's amount)."""
    named = ~Q(quotes__supplier="")
    annotated = application.budget_lines.annotate(
        quote_count=Count("quotes"),
        supplier_count=Count("quotes__supplier", filter=named, distinct=True),
        cheapest_yen=Min("quotes__quoted_amount_yen"),
        chosen_yen=F("chosen_quote__quoted_amount_yen"),
    )
    lines = [
        budget_rules.QuoteTally(
            line=line,
            count=int(line.quote_count),
            suppliers=int(line.supplier_count),
            cheapest_yen=line.cheapest_yen,
            chosen_yen=line.chosen_yen,
            chosen=line.chosen_quote_id is not None,
        )
        for line in annotated
    ]
    problems = budget_rules.problems(application.round, lines)
    return budget_rules.status(lines, problems), problems


def documents_part(application: Application) -> tuple[str, list[str]]:
    """(status, problems) of the attached documents. One query (the codes attached)."""
    codes = set(
        application.documents.filter(budget_line__isnull=True).values_list("code", flat=True).distinct()
    )
    return document_rules.status(application.round, codes), document_rules.problems(application.round, codes)


@dataclass
class Section:
    code: str
    label: str
    status: str
    url: str
    problems: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def sections(application: Application) -> list[Section]:
    """The task list, in the order people work through it."""
    pk = application.pk
    result = []
    for code, label, part in (
        ("profile", _("会社概要"), profile_part),
        ("plan", _("事業計画"), plan_part),
        ("budget", _("経費明細"), budget_part),
        ("documents", _("添付書類"), documents_part),
        ("disclosure", _("アドバイザーの報酬・独立性の開示"), disclosure_part),
    ):
        status, problems = part(application)
        result.append(Section(code, label, status, reverse(f"applications:{code}", args=[pk]), problems))
    url = reverse("applications:declarations", args=[pk])
    if result[0].status == COMPLETED:  # the declarations wait for the company profile
        status, problems = declarations_part(application)
        result.append(Section("declarations", _("宣誓・同意"), status, url, problems))
    else:
        waiting = [_("会社概要を完了すると宣誓・同意を行えます。")]
        result.append(Section("declarations", _("宣誓・同意"), CANNOT_START, url, waiting))
    return result


# --- The conditions of submission (伴走支援と研修) -----------------------------------------------


@dataclass
class Requirement:
    """One condition of submission the round sets, met or not, with what it stands at."""

    code: str
    label: str
    met: bool
    detail: str
    problem: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[COMPLETED]) if self.met else _("未完了")


@dataclass
class Requirements:
    """The round's conditions of submission for one application (the task list shows them; the
    workflow's guard `support_requirements_met` refuses while `problems` is not empty)."""

    items: list[Requirement]
    url: str

    @property
    def problems(self) -> list[str]:
        return [item.problem for item in self.items if not item.met]

    @property
    def status(self) -> str:
        if all(item.met for item in self.items):
            return COMPLETED
        return IN_PROGRESS if any(item.met for item in self.items) else NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _hours(value: float) -> str:
    return f"{value:g}"


def requirements(application: Application) -> Requirements:
    """The round's conditions of submission (round.rules.application.requirements) judged on the
    engagement's support record: a hearing record the company confirmed, the training hours
    attended by its own check-ins, the comprehension quiz passed. Four queries (none when the
    round sets no condition)."""
    wanted = application.round.rules.application.requirements
    url = reverse("support:engagement_detail", args=[application.engagement_id])
    if not (wanted.hearing_confirmed or wanted.training_hours or wanted.training_quiz):
        return Requirements([], url)
    record = support_record(application.engagement_id)
    training = record.training
    items = []
    if wanted.hearing_confirmed:
        items.append(
            Requirement(
                "hearing",
                _("ヒアリング記録の確認"),
                record.hearing_confirmed,
                _("確認済み") if record.hearing_confirmed else _("確認済みの記録なし"),
                _(
                    "ヒアリング記録: 申請者が内容を確認したヒアリング記録がありません。アドバイザーが記録した"
                    "ヒアリングの内容を、伴走支援のページで確認してください。"
                ),
            )
        )
    if wanted.training_hours:
        shown = {"hours": _hours(record.hours_attended), "required": _hours(training.required_hours)}
        items.append(
            Requirement(
                "training_hours",
                _("研修の受講時間（ご本人のチェックインで記録）"),
                record.hours_complete,
                _("%(hours)s / %(required)s時間") % shown,
                _(
                    "研修の受講時間が足りません（%(hours)s / %(required)s時間）。研修に参加し、研修の画面に"
                    "表示されるコードで、参加した方ご本人がチェックインしてください。"
                )
                % shown,
            )
        )
    if wanted.training_quiz:
        # The hours and the pass belong to one person (training_status); while nobody has the
        # hours yet, the hours are what is missing, not the pass.
        same_person = not wanted.training_hours or not record.hours_complete or training.complete
        passed = record.quiz_passed and same_person
        problem = _(
            "理解度確認テストに合格していません。研修を受けた方ご本人が、伴走支援のページから受けてください。"
        )
        if record.quiz_passed and not same_person:
            problem = _(
                "理解度確認テスト: 研修の受講時間を満たした方ご本人が合格する必要があります（合格した方の"
                "受講時間が足りません）。"
            )
        items.append(
            Requirement(
                "training_quiz",
                _("理解度確認テスト"),
                passed,
                _("合格") if passed else _("未合格"),
                problem,
            )
        )
    return Requirements(items, url)


def requirement_problems(application: Application) -> list[str]:
    """What of the round's conditions of submission is not met yet (empty: all met)."""
    return requirements(application).problems


def readiness_problems(
    application: Application,
    task_list: list[Section] | None = None,
    *,
    judged: EligibilityResult | None = None,
    missing: list[str] | None = None,
) -> list[str]:
    """Everything that stops the application being marked ready or submitted (empty: ready).
    Pass what the page already computed (`sections`, `eligibility`, `eligibility_missing`) so
    nothing is computed twice."""
    problems: list[str] = []
    for section in task_list if task_list is not None else sections(application):
        if section.status != COMPLETED:
            detail = "、".join(section.problems) if section.problems else str(STATUS_LABELS[section.status])
            problems.append(f"{section.label}: {detail}")
    result = judged if judged is not None else eligibility(application)
    unanswered = missing if missing is not None else eligibility_missing(application)
    if not result.eligible and not unanswered:
        problems.extend(_("申請要件: %(reason)s") % {"reason": r.message} for r in result.reasons)
    return problems


# One part at a time (each one query), for callers that need only that part.


def plan_status(application: Application) -> str:
    return plan_part(application)[0]


def plan_problems(application: Application) -> list[str]:
    return plan_part(application)[1]


def budget_status(application: Application) -> str:
    return budget_part(application)[0]


def budget_problems(application: Application) -> list[str]:
    return budget_part(application)[1]


def documents_status(application: Application) -> str:
    return documents_part(application)[0]


def documents_problems(application: Application) -> list[str]:
    return documents_part(application)[1]
