"""Where each section of the application stands (the task list), what is missing, and whether the
company meets the round's eligibility rules. Read-only; the services that mark the application
ready and submit it call `readiness_problems` as their guard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.programs.eligibility import EligibilityResult, evaluate
from dxgrant.programs.models import DeclarationText

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


def profile_status(application: Application) -> str:
    if application.profile_revision == 0:
        return NOT_STARTED
    return IN_PROGRESS if profile_problems(application) else COMPLETED


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


def disclosure_status(application: Application) -> str:
    if application.disclosure_revision == 0:
        return NOT_STARTED
    return IN_PROGRESS if disclosure_problems(application) else COMPLETED


def current_declarations(application: Application) -> list[DeclarationText]:
    """The newest version of each of the round's declarations, by key."""
    latest: dict[str, DeclarationText] = {}
    for text in DeclarationText.objects.filter(round_id=application.round_id).order_by("key", "-version"):
        latest.setdefault(text.key, text)
    return list(latest.values())


def accepted_declaration_ids(application: Application) -> set[int]:
    return set(application.declarations.values_list("declaration_id", flat=True))


def declarations_problems(application: Application) -> list[str]:
    accepted = accepted_declaration_ids(application)
    missing = [d for d in current_declarations(application) if d.pk not in accepted]
    if missing:
        return [_("宣誓・同意が%(n)d件残っています（申請者ご本人が行います）。") % {"n": len(missing)}]
    return []


def declarations_status(application: Application) -> str:
    if not application.declarations.exists():
        return NOT_STARTED
    return IN_PROGRESS if declarations_problems(application) else COMPLETED


def _other_part(module: str, name: str) -> Callable[[Application], Any] | None:
    """Plan, budget and documents are written in their own modules (lazy: they import us)."""
    try:
        return getattr(import_module(f"dxgrant.applications.{module}"), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        return None


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
    result = [
        Section(
            "profile",
            _("会社概要"),
            profile_status(application),
            reverse("applications:profile", args=[pk]),
            profile_problems(application),
        )
    ]
    for code, label in (("plan", _("事業計画")), ("budget", _("経費明細")), ("documents", _("添付書類"))):
        status_of = _other_part(code, f"{code}_status")
        problems_of = _other_part(code, f"{code}_problems")
        if status_of is None or problems_of is None:
            result.append(Section(code, label, NOT_STARTED, "", [_("この項目はまだ準備中です。")]))
            continue
        try:
            url = reverse(f"applications:{code}", args=[pk])
        except Exception:  # noqa: BLE001 - the other part's page may not be wired yet
            url = ""
        result.append(Section(code, label, status_of(application), url, list(problems_of(application))))
    result.append(
        Section(
            "disclosure",
            _("アドバイザーの報酬・独立性の開示"),
            disclosure_status(application),
            reverse("applications:disclosure", args=[pk]),
            disclosure_problems(application),
        )
    )
    before_declarations = all(s.status == COMPLETED for s in result[:1])
    result.append(
        Section(
            "declarations",
            _("宣誓・同意"),
            declarations_status(application) if before_declarations else CANNOT_START,
            reverse("applications:declarations", args=[pk]),
            declarations_problems(application)
            if before_declarations
            else [_("会社概要を完了すると宣誓・同意を行えます。")],
        )
    )
    return result


def readiness_problems(application: Application, task_list: list[Section] | None = None) -> list[str]:
    """Everything that stops the application being marked ready or submitted (empty: ready).
    Pass the `sections` already computed for the page to avoid querying twice."""
    problems: list[str] = []
    for section in task_list if task_list is not None else sections(application):
        if section.status != COMPLETED:
            detail = "、".join(section.problems) if section.problems else str(STATUS_LABELS[section.status])
            problems.append(f"{section.label}: {detail}")
    result = eligibility(application)
    if not result.eligible and not eligibility_missing(application):
        problems.extend(_("申請要件: %(reason)s") % {"reason": r.message} for r in result.reasons)
    return problems
