"""What the round's rules say about the business plan (事業計画書), without the database: the
sections the round defines, character counting, the validation of the structured parts and
what stands between a plan and a complete one.

Three sections carry structured parts next to their text, keyed by the section code the round
uses: measures (取組内容, each with its technology categories), schedule (milestones inside the
programme period) and kpis (baseline and three yearly targets). Validation errors are keyed by
the names of the form fields (forms/plan.py) so the page can show each next to its field.
The service that saves a section is services/plan.py; the task list reads completeness.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dxgrant.core.editing import EditConflict
from dxgrant.core.i18n import localised
from dxgrant.programs.models import Round
from dxgrant.programs.schema import PlanSectionSpec

from .models import PlanSection

MEASURES = "measures"
SCHEDULE = "schedule"
KPIS = "kpis"
KPI_KEYS = ("labour_productivity", "cost", "sales")
YEARS = ("year1", "year2", "year3")
MAX_MEASURES = 8
MAX_MILESTONES = 10
MAX_FREE_KPIS = 5

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"


def kpi_label(key: str) -> str:
    return {
        "labour_productivity": _("労働生産性"),
        "cost": _("コスト"),
        "sales": _("売上高"),
    }[key]


def section_specs(round_obj: Round) -> list[PlanSectionSpec]:
    return list(round_obj.rules.application.plan_sections)


def spec_for(round_obj: Round, code: str) -> PlanSectionSpec | None:
    return next((s for s in section_specs(round_obj) if s.code == code), None)


def technology_choices(round_obj: Round) -> list[tuple[str, str]]:
    return [(o.value, localised(o, "label")) for o in round_obj.rules.application.technology_categories]


def char_count(text: str) -> int:
    """Characters as a reader counts them: line breaks are not characters."""
    return len(text.replace("\r", "").replace("\n", ""))


def section_conflict(current: PlanSection) -> EditConflict:
    """Someone else saved the section since this editor loaded it: the refusal names them and
    carries what they saved (`current`) for the page to show."""
    who = str(current.updated_by) if current.updated_by else _("別の方")
    message = _(
        "%(who)sが先にこのセクションを保存したため、保存していません。"
        "あなたの入力はそのまま残しています。下に表示した相手の保存内容を確かめ、"
        "必要な部分を反映してから、もう一度保存してください。"
    ) % {"who": who}
    return EditConflict(message, current=current, current_revision=current.revision)


# --- Validation of the structured parts (the service calls it before saving) ----------------


def _number(value: Any) -> int | float | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def clean_section_data(round_obj: Round, code: str, data: dict[str, Any]) -> dict[str, Any]:
    """The structured part of a section, normalised; ValidationError keyed by form field names."""
    errors: dict[str, list[str]] = {}
    if code == MEASURES:
        allowed = {value for value, _label in technology_choices(round_obj)}
        measures = []
        for i, m in enumerate(list(data.get("measures", []))[:MAX_MEASURES]):
            title = str(m.get("title", "")).strip()
            description = str(m.get("description", "")).strip()
            technologies = [t for t in m.get("technologies", []) if t]
            if not (title or description or technologies):
                continue
            if not title:
                errors[f"measure-{i}-title"] = [_("取組の名称を入力してください。")]
            unknown = [t for t in technologies if t not in allowed]
            if unknown:
                errors[f"measure-{i}-technologies"] = [_("技術の区分が正しくありません。")]
            elif not technologies:
                errors[f"measure-{i}-technologies"] = [_("使う技術の区分を1つ以上選んでください。")]
            measures.append({"title": title, "description": description, "technologies": technologies})
        cleaned: dict[str, Any] = {"measures": measures}
    elif code == SCHEDULE:
        starts, ends = round_obj.programme_period_starts, round_obj.programme_period_ends
        milestones = []
        for i, m in enumerate(list(data.get("milestones", []))[:MAX_MILESTONES]):
            title = str(m.get("title", "")).strip()
            due_raw = m.get("due") or ""
            if not (title or due_raw):
                continue
            if not title:
                errors[f"milestone-{i}-title"] = [_("節目の内容を入力してください。")]
            try:
                due = dt.date.fromisoformat(str(due_raw))
            except ValueError:
                errors[f"milestone-{i}-due"] = [_("時期を日付で入力してください（例：2026-03-31）。")]
                continue
            if not starts <= due <= ends:
                errors[f"milestone-{i}-due"] = [
                    _("時期は対象期間（%(starts)s〜%(ends)s）の中にしてください。")
                    % {"starts": starts.isoformat(), "ends": ends.isoformat()}
                ]
            milestones.append({"title": title, "due": due.isoformat()})
        cleaned = {"milestones": sorted(milestones, key=lambda m: m["due"])}
    elif code == KPIS:
        kpis: dict[str, Any] = {}
        for key in KPI_KEYS:
            row = dict(data.get(key) or {})
            kpis[key] = _clean_kpi_row(row, f"kpi-{key}", errors, named=False)
        free = []
        for i, row in enumerate(list(data.get("free", []))[:MAX_FREE_KPIS]):
            cleaned_row = _clean_kpi_row(dict(row), f"kpi-free-{i}", errors, named=True)
            if any(v not in (None, "") for v in cleaned_row.values()):
                free.append(cleaned_row)
        kpis["free"] = free
        cleaned = kpis
    else:
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_kpi_row(
    row: dict[str, Any], prefix: str, errors: dict[str, list[str]], *, named: bool
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if named:
        cleaned["name"] = str(row.get("name", "")).strip()
    cleaned["unit"] = str(row.get("unit", "")).strip()
    for field in ("baseline", *YEARS):
        raw = row.get(field)
        number = _number(raw)
        if raw not in (None, "") and number is None:
            errors[f"{prefix}-{field}"] = [_("数値で入力してください。")]
        cleaned[field] = number
    if named and not cleaned["name"] and any(cleaned[f] is not None for f in ("baseline", *YEARS)):
        errors[f"{prefix}-name"] = [_("指標の名称を入力してください。")]
    return cleaned


# --- What is left (the task list and the plan page) ----------------------------------------


def _structured_problems(round_obj: Round, title: str, code: str, data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if code == MEASURES:
        measures = data.get("measures") or []
        if not measures:
            problems.append(_("「%(title)s」に取組が1つもありません。") % {"title": title})
        for m in measures:
            if not m.get("technologies"):
                problems.append(
                    _("「%(title)s」の「%(measure)s」に使う技術の区分がありません。")
                    % {"title": title, "measure": m.get("title", "")}
                )
    elif code == SCHEDULE:
        milestones = data.get("milestones") or []
        if not milestones:
            problems.append(_("「%(title)s」に節目（マイルストーン）が1つもありません。") % {"title": title})
        for m in milestones:
            try:
                due = dt.date.fromisoformat(str(m.get("due")))
            except ValueError:
                due = None
            if due is None or not round_obj.programme_period_starts <= due <= round_obj.programme_period_ends:
                problems.append(
                    _("「%(title)s」の「%(milestone)s」の時期が対象期間の外です。")
                    % {"title": title, "milestone": m.get("title", "")}
                )
    elif code == KPIS:
        for key in KPI_KEYS:
            row = data.get(key) or {}
            if any(row.get(f) is None for f in ("baseline", *YEARS)):
                problems.append(
                    _("「%(title)s」の「%(kpi)s」に基準値と3年間の目標を入力してください。")
                    % {"title": title, "kpi": kpi_label(key)}
                )
    return problems


def problems(round_obj: Round, sections: Mapping[str, PlanSection]) -> list[str]:
    """What stands between the plan (its saved sections by code) and a complete one."""
    found: list[str] = []
    for spec in section_specs(round_obj):
        title = localised(spec, "title")
        section = sections.get(spec.code)
        if section is None or not section.text.strip():
            found.append(_("「%(title)s」が未入力です。") % {"title": title})
        elif char_count(section.text) > spec.max_chars:
            found.append(
                _("「%(title)s」が%(max)s字を超えています（%(count)s字）。")
                % {"title": title, "max": spec.max_chars, "count": char_count(section.text)}
            )
        found.extend(_structured_problems(round_obj, title, spec.code, section.data if section else {}))
    return found


def status(sections: Mapping[str, PlanSection], found: list[str]) -> str:
    """not_started (nothing saved yet), in_progress or completed, from the saved sections and
    their problems."""
    if not sections:
        return NOT_STARTED
    return IN_PROGRESS if found else COMPLETED
