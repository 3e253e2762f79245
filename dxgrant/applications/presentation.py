"""The whole application with display labels, for people to read.

`present_snapshot(snapshot, round)` is what the applicant's check-your-answers and confirm
pages, the staff detail page and the PDFs render (templates/applications/_full.html): a
snapshot built from the application as it stands (snapshot.build_snapshot, the same that is
frozen at submission, so what people confirm is what is filed) or a frozen version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from dxgrant.core.i18n import current_language, localised
from dxgrant.core.templatetags.dx import seireki, yen
from dxgrant.japan import industry as jsic
from dxgrant.programs.eligibility import InvalidFacts, evaluate, validate_facts
from dxgrant.programs.models import DeclarationText, Round

from .budget_rules import category_choices
from .document_rules import QUOTES
from .models import Application, EntityType, FeeTiming
from .plan_rules import kpi_label, technology_choices
from .snapshot import DISCLOSURE_FIELDS, PROFILE_FIELDS, Snapshot, build_snapshot, quotes_of

YEN_FIELDS = frozenset(
    {
        "capital_yen",
        "sales_last_yen",
        "sales_previous_yen",
        "operating_profit_last_yen",
        "operating_profit_previous_yen",
        "fee_amount_yen",
        "budget_total_yen",
        "eligible_total_yen",
        "unit_price_yen",
        "amount_yen",
        "eligible_amount_yen",
    }
)
BOOLEAN_FIELDS = frozenset({"antisocial_ties", "legal_compliance", "advisor_sells_budget_items"})
ELIGIBILITY_FIELDS = ("entity_type", "employees", "capital_yen", "antisocial_ties", "legal_compliance")
# Sections of the application, in the order they are shown; also the keys of ReturnRequest.comments
# (the plan is commented per plan section, as "plan:<code>").
SECTIONS = ("profile", "plan", "budget", "documents", "disclosure", "declarations")


def section_titles() -> dict[str, str]:
    return {
        "profile": _("会社概要"),
        "plan": _("事業計画"),
        "budget": _("経費明細"),
        "documents": _("添付書類"),
        "disclosure": _("アドバイザー報酬等の開示"),
        "declarations": _("宣誓・同意"),
    }


def field_label(name: str) -> str:
    """The Japanese (or English) label of a profile or disclosure field."""
    if name == "confirmed_revision":
        return _("申請者による確認")
    try:
        field = Application._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def display_value(name: str, value: Any) -> str:
    """A snapshot value as a person reads it (yen, 和暦-free dates, はい/いいえ, labels)."""
    if value is None or value == "":
        return ""
    if name in BOOLEAN_FIELDS or isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if name in YEN_FIELDS:
        return yen(value)
    if name == "entity_type":
        return str(dict(EntityType.choices).get(value, value))
    if name == "industry":
        try:
            return f"{value} {jsic.name(str(value), current_language())}"
        except ValueError:
            return str(value)
    if name == "employees":
        return _("%(n)s人") % {"n": f"{int(value):,}"}
    if name == "founded_on":
        try:
            return seireki(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if name == "fiscal_year_end_month":
        return _("%(m)s月") % {"m": value}
    if name == "success_fee_percent":
        try:
            return f"{Decimal(str(value)).normalize():f}%"
        except InvalidOperation:
            return str(value)
    if name == "fee_timing":
        return str(dict(FeeTiming.choices).get(value, value))
    if name == "confirmed_revision":
        return _("確認済み")
    return str(value)


def _rows(data: Mapping[str, Any], names: list[str]) -> list[dict[str, Any]]:
    return [
        {"field": n, "label": field_label(n), "value": display_value(n, data.get(n)), "raw": data.get(n)}
        for n in names
    ]


def _disclosure_rows(disclosure: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The disclosure's rows. Once the advisor has written it, an empty success fee means there
    is none (the form says "leave it empty if there is none"): "なし", as the disclosure page
    says, not "未入力"."""
    rows = _rows(disclosure, DISCLOSURE_FIELDS)
    if disclosure.get("fee_amount_yen") is not None:
        for row in rows:
            if row["field"] == "success_fee_percent" and not row["value"]:
                row["value"] = _("なし")
    return rows


def _eligibility(round_obj: Round, profile: Mapping[str, Any]) -> dict[str, Any]:
    """The round's eligibility rules applied to the profile; incomplete profiles are not judged."""
    rules = round_obj.eligibility or {}
    if not rules.get("fields"):
        return {"judged": False, "eligible": False, "reasons": [], "missing": []}
    names = {f["name"] for f in rules["fields"]}
    data = {k: profile.get(k) for k in names if profile.get(k) not in (None, "")}
    try:
        facts = validate_facts(rules, data)
    except InvalidFacts as exc:
        labels = {f["name"]: localised(f, "label") for f in rules["fields"]}
        missing = [labels.get(e.field, e.field) for e in exc.errors]
        return {"judged": False, "eligible": False, "reasons": [], "missing": missing}
    result = evaluate(rules, facts)
    return {
        "judged": True,
        "eligible": result.eligible,
        "reasons": [r.message for r in result.reasons],
        "missing": [],
    }


def _number_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def _date_text(value: Any) -> str:
    try:
        return seireki(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def plan_data_parts(data: Mapping[str, Any], round_obj: Round) -> list[dict[str, Any]]:
    """Structured parts of a plan section as labelled tables: measures with their technologies,
    milestones with their dates, KPIs with baseline and three years. Keys the plan does not
    know (data written under an older round definition) are shown as they are."""
    technologies = dict(technology_choices(round_obj))
    parts: list[dict[str, Any]] = []
    rest = dict(data)
    if "measures" in rest:
        measures = rest.pop("measures") or []
        parts.append(
            {
                "key": _("取組"),
                "columns": [_("名称"), _("内容"), _("使う技術")],
                "rows": [
                    [
                        m.get("title", ""),
                        m.get("description", ""),
                        "、".join(str(technologies.get(t, t)) for t in m.get("technologies", [])),
                    ]
                    for m in measures
                ],
            }
        )
    if "milestones" in rest:
        milestones = rest.pop("milestones") or []
        parts.append(
            {
                "key": _("節目（マイルストーン）"),
                "columns": [_("内容"), _("時期")],
                "rows": [[m.get("title", ""), _date_text(m.get("due"))] for m in milestones],
            }
        )
    kpi_keys = [k for k in ("labour_productivity", "cost", "sales") if k in rest]
    if kpi_keys or "free" in rest:
        rows = []
        for key in kpi_keys:
            row = rest.pop(key) or {}
            rows.append([str(kpi_label(key)), *_kpi_cells(row)])
        for row in rest.pop("free", None) or []:
            rows.append([row.get("name", ""), *_kpi_cells(row)])
        parts.append(
            {
                "key": _("成果指標"),
                "columns": [_("指標"), _("単位"), _("基準値"), _("1年後"), _("2年後"), _("3年後")],
                "rows": rows,
            }
        )
    for key, value in rest.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            columns: list[str] = []
            for item in value:
                columns.extend(c for c in item if c not in columns)
            parts.append(
                {
                    "key": key,
                    "columns": columns,
                    "rows": [[_text(item.get(c)) for c in columns] for item in value],
                }
            )
        else:
            parts.append({"key": key, "columns": [], "rows": [], "text": _text(value)})
    return parts


def _kpi_cells(row: Mapping[str, Any]) -> list[str]:
    return [
        str(row.get("unit", "")),
        *(_number_text(row.get(f)) for f in ("baseline", "year1", "year2", "year3")),
    ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return "、".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def present_snapshot(
    snapshot: Mapping[str, Any], round_obj: Round, *, declaration_texts: list[DeclarationText] | None = None
) -> dict[str, Any]:
    """A snapshot (live or frozen) with the round's labels, ready for _full.html."""
    profile = snapshot.get("profile", {})
    plan_specs = round_obj.rules.application.plan_sections
    plan_data = snapshot.get("plan", {})
    plan = []
    for spec in plan_specs:
        section = plan_data.get(spec.code, {})
        plan.append(
            {
                "code": spec.code,
                "title": localised(spec, "title"),
                "text": section.get("text", ""),
                "parts": plan_data_parts(section.get("data") or {}, round_obj),
                "max_chars": spec.max_chars,
            }
        )
    known = {s.code for s in plan_specs}
    for code in sorted(set(plan_data) - known):
        section = plan_data[code]
        plan.append(
            {
                "code": code,
                "title": code,
                "text": section.get("text", ""),
                "parts": plan_data_parts(section.get("data") or {}, round_obj),
                "max_chars": None,
            }
        )

    categories = dict(category_choices(round_obj))
    budget = snapshot.get("budget", {})
    lines = [
        {
            **line,
            "number": i,
            "category_label": categories.get(line.get("category", ""), line.get("category")),
            "quotes": quotes_of(line),
        }
        for i, line in enumerate(budget.get("lines", []), start=1)
    ]
    for line in lines:
        amounts = [q["amount_yen"] for q in line["quotes"] if q["amount_yen"] is not None]
        line["cheapest_yen"] = min(amounts) if len(amounts) > 1 else None
    by_category: dict[str, dict[str, Any]] = {}
    for line in lines:
        bucket = by_category.setdefault(
            line["category"], {"label": line["category_label"], "amount_yen": 0, "eligible_amount_yen": 0}
        )
        bucket["amount_yen"] += int(line.get("amount_yen") or 0)
        bucket["eligible_amount_yen"] += int(line.get("eligible_amount_yen") or 0)

    round_documents = round_obj.rules.documents
    doc_names = {d.code: localised(d, "name") for d in round_documents}
    documents = [
        {**d, "label": doc_names.get(d.get("code", ""), d.get("code"))} for d in snapshot.get("documents", [])
    ]
    attached = {d.get("code") for d in documents}
    missing_documents = [
        localised(d, "name")
        for d in round_documents
        if d.upload and d.code != QUOTES and d.code not in attached
    ]

    texts = declaration_texts
    if texts is None:
        texts = list(DeclarationText.objects.filter(round=round_obj).order_by("key", "-version"))
    by_version = {(t.key, t.version): t for t in texts}
    latest: dict[str, DeclarationText] = {}
    for t in texts:
        if t.key not in latest or t.version > latest[t.key].version:
            latest[t.key] = t
    accepted = {d["key"]: d for d in snapshot.get("declarations", [])}
    declarations = []
    for key in sorted(set(latest) | set(accepted)):
        done = accepted.get(key)
        text_obj = by_version.get((key, done["version"])) if done else latest.get(key)
        declarations.append(
            {
                "key": key,
                "version": done["version"] if done else (text_obj.version if text_obj else None),
                "text": _declaration_text(text_obj) if text_obj else key,
                "accepted": done is not None,
                "accepted_by": done["accepted_by"] if done else "",
                "accepted_at": _parse_datetime(done["accepted_at"]) if done else None,
            }
        )

    disclosure = snapshot.get("disclosure", {})
    return {
        "snapshot": snapshot,
        "round": {
            "code": round_obj.code,
            "name": localised({"name_ja": round_obj.name_ja, "name_en": round_obj.name_en}, "name"),
        },
        "firm": snapshot.get("firm", {}),
        "titles": section_titles(),
        "company_name": profile.get("company_name", ""),
        "profile": _rows(profile, PROFILE_FIELDS),
        "eligibility": _eligibility(round_obj, profile),
        "plan": plan,
        "budget": {
            "lines": lines,
            "by_category": list(by_category.values()),
            "budget_total_yen": budget.get("budget_total_yen", 0),
            "eligible_total_yen": budget.get("eligible_total_yen", 0),
        },
        "disclosure": _disclosure_rows(disclosure),
        "disclosure_confirmed": disclosure.get("confirmed_revision") is not None,
        "documents": documents,
        "missing_documents": missing_documents,
        "declarations": declarations,
    }


def _declaration_text(text: DeclarationText) -> str:
    return localised({"text_ja": text.text_ja, "text_en": text.text_en}, "text")


def _parse_datetime(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def full_application(application: Application, snapshot: Snapshot | None = None) -> dict[str, Any]:
    """The whole application as it stands now (or as `snapshot`, already built from it), with
    display labels, for _full.html."""
    return present_snapshot(
        snapshot if snapshot is not None else build_snapshot(application), application.round
    )
