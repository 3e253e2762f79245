"""What changed between two submitted versions (ApplicationVersion.snapshot), for people to read:
per section, each changed field with old → new; budget lines and documents added, removed or
changed; plan texts compared character by character (Japanese has no spaces between words) and
shown as inserted and deleted spans."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.core.templatetags.dx import yen
from dxgrant.programs.models import Round
from dxgrant.programs.schema import PlanSectionSpec

from .budget_rules import category_choices
from .presentation import display_value, field_label, plan_data_parts, section_titles
from .snapshot import DISCLOSURE_FIELDS, PROFILE_FIELDS, quotes_of

BUDGET_FIELDS = (
    "category",
    "item",
    "vendor",
    "quantity",
    "unit_price_yen",
    "tax_rate_percent",
    "amount_yen",
    "eligible_amount_yen",
    "choice_reason",
)


# Replaced passages up to this length are compared character by character; longer rewrites are
# shown as one deletion and one insertion (a character diff of two unrelated texts is noise, and
# its cost grows with the product of the lengths).
CHAR_DIFF_MAX = 800
_SENTENCE = re.compile(r"[^。．！？!?\n]*(?:[。．！？!?]+|\n|$)")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text or "") if s]


def _char_spans(old: str, new: str) -> list[dict[str, str]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    spans: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            spans.append({"op": "equal", "text": old[i1:i2]})
            continue
        if op in ("delete", "replace"):
            spans.append({"op": "delete", "text": old[i1:i2]})
        if op in ("insert", "replace"):
            spans.append({"op": "insert", "text": new[j1:j2]})
    return spans


def _merge(spans: list[dict[str, str]]) -> list[dict[str, str]]:
    merged: list[dict[str, str]] = []
    for span in spans:
        if not span["text"]:
            continue
        if merged and merged[-1]["op"] == span["op"]:
            merged[-1] = {"op": span["op"], "text": merged[-1]["text"] + span["text"]}
        else:
            merged.append(span)
    return merged


def text_diff(old: str, new: str) -> list[dict[str, str]]:
    """Spans of the two texts in reading order: {"op": "equal" | "insert" | "delete", "text": ...}.

    Sentences are matched first; a changed sentence (or a short run of them) is then compared
    character by character, since Japanese has no spaces between words."""
    a, b = _sentences(old), _sentences(new)
    spans: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            spans.append({"op": "equal", "text": before})
        elif op == "replace" and len(before) + len(after) <= CHAR_DIFF_MAX:
            spans.extend(_char_spans(before, after))
        else:
            spans.append({"op": "delete", "text": before})
            spans.append({"op": "insert", "text": after})
    return _merge(spans)


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any], names: list[str]) -> list[dict[str, str]]:
    return [
        {
            "field": n,
            "label": field_label(n),
            "old": display_value(n, old.get(n)),
            "new": display_value(n, new.get(n)),
        }
        for n in names
        if old.get(n) != new.get(n)
    ]


def _budget_label(name: str) -> str:
    labels = {
        "category": _("経費区分"),
        "item": _("品目"),
        "vendor": _("発注先"),
        "quantity": _("数量"),
        "unit_price_yen": _("単価（税抜）"),
        "tax_rate_percent": _("消費税率（％）"),
        "amount_yen": _("金額（税込）"),
        "eligible_amount_yen": _("対象経費（税抜）"),
        "choice_reason": _("最安でない見積書を採用する理由"),
        "chosen": _("採用する見積書"),
    }
    return labels[name]


def _budget_value(name: str, value: Any, categories: Mapping[str, str]) -> str:
    if name == "category":
        return categories.get(str(value), str(value))
    if name == "choice_reason":
        return str(value or "")
    return display_value(name, value)


def _file(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A file as the difference shows it: its name, its SHA-256 and, for a quotation, the
    supplier and the amount."""
    return {
        "name": entry.get("name") or "",
        "sha256": entry.get("sha256") or "",
        "supplier": entry.get("supplier") or "",
        "amount_yen": entry.get("amount_yen"),
        "label": entry.get("label") or "",
    }


def file_changes(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], *, group: str = "supplier"
) -> dict[str, list[Any]]:
    """Files added, removed and replaced between two lists (by SHA-256). A file removed and one
    added of the same `group` (the supplier of a quotation, the kind of a document) is a
    replacement, shown as old → new; the rest are added or removed."""
    old_hashes = {e.get("sha256") for e in old}
    new_hashes = {e.get("sha256") for e in new}
    removed = [_file(e) | {"group": e.get(group) or ""} for e in old if e.get("sha256") not in new_hashes]
    added = [_file(e) | {"group": e.get(group) or ""} for e in new if e.get("sha256") not in old_hashes]
    replaced = []
    for before in list(removed):
        after = next((a for a in added if a["group"] == before["group"]), None)
        if after is not None:
            replaced.append({"old": before, "new": after})
            removed.remove(before)
            added.remove(after)
    return {"added": added, "removed": removed, "replaced": replaced}


def _chosen(line: Mapping[str, Any]) -> str:
    chosen = next((q for q in quotes_of(line) if q.get("chosen")), None)
    if chosen is None:
        return ""
    amount = chosen.get("amount_yen")
    shown = yen(amount) if isinstance(amount, int) else ""
    return " ".join(part for part in (chosen.get("supplier") or chosen.get("name") or "", shown) if part)


def _line_key(line: Mapping[str, Any]) -> tuple[str, str, str]:
    return (str(line.get("category", "")), str(line.get("item", "")), str(line.get("vendor", "")))


def _budget(old: Mapping[str, Any], new: Mapping[str, Any], categories: Mapping[str, str]) -> dict[str, Any]:
    def shown(line: Mapping[str, Any]) -> dict[str, Any]:
        return {**line, "category_label": categories.get(str(line.get("category")), line.get("category"))}

    old_lines = {_line_key(line): line for line in old.get("lines", [])}
    new_lines = {_line_key(line): line for line in new.get("lines", [])}
    changed = []
    for key in [k for k in new_lines if k in old_lines]:
        a, b = old_lines[key], new_lines[key]
        fields = [
            {
                "label": _budget_label(n),
                "old": _budget_value(n, a.get(n), categories),
                "new": _budget_value(n, b.get(n), categories),
            }
            for n in BUDGET_FIELDS
            if a.get(n) != b.get(n)
        ]
        if _chosen(a) != _chosen(b):
            fields.append({"label": _budget_label("chosen"), "old": _chosen(a), "new": _chosen(b)})
        quotes = file_changes(quotes_of(a), quotes_of(b))
        if fields or any(quotes.values()):
            changed.append({"line": shown(b), "fields": fields, "quotes": quotes})
    totals = _field_changes(old, new, ["budget_total_yen", "eligible_total_yen"])
    return {
        "added": [shown(line) for k, line in new_lines.items() if k not in old_lines],
        "removed": [shown(line) for k, line in old_lines.items() if k not in new_lines],
        "changed": changed,
        "totals": totals,
    }


def _documents(
    old: list[Mapping[str, Any]], new: list[Mapping[str, Any]], names: Mapping[str, str]
) -> dict[str, Any]:
    def shown(doc: Mapping[str, Any]) -> dict[str, Any]:
        return {**doc, "label": names.get(str(doc.get("code")), doc.get("code"))}

    return file_changes([shown(d) for d in old], [shown(d) for d in new], group="code")


def _parts_text(data: Mapping[str, Any], round_obj: Round) -> dict[str, str]:
    """The structured parts of a plan section as the full application shows them (measures,
    milestones, KPIs with their labels), one line per row, to compare as text."""
    shown = {}
    for part in plan_data_parts(data, round_obj):
        if part["columns"]:
            lines = [
                " ／ ".join(
                    f"{column}：{cell}" for column, cell in zip(part["columns"], row, strict=False) if cell
                )
                for row in part["rows"]
            ]
            shown[str(part["key"])] = "\n".join(lines)
        else:
            shown[str(part["key"])] = part["text"]
    return shown


def _plan(
    old: Mapping[str, Any], new: Mapping[str, Any], specs: list[PlanSectionSpec], round_obj: Round
) -> list[dict[str, Any]]:
    titles = {s.code: localised(s, "title") for s in specs}
    codes = [s.code for s in specs] + sorted((set(old) | set(new)) - set(titles))
    sections = []
    for code in codes:
        a, b = old.get(code, {}), new.get(code, {})
        old_text, new_text = a.get("text", ""), b.get("text", "")
        old_parts = _parts_text(a.get("data") or {}, round_obj)
        new_parts = _parts_text(b.get("data") or {}, round_obj)
        data_changes = [
            {"label": key, "old": old_parts.get(key, ""), "new": new_parts.get(key, "")}
            for key in [*old_parts, *(k for k in new_parts if k not in old_parts)]
            if old_parts.get(key, "") != new_parts.get(key, "")
        ]
        if old_text == new_text and not data_changes:
            continue
        sections.append(
            {
                "code": code,
                "title": titles.get(code, code),
                "spans": text_diff(old_text, new_text) if old_text != new_text else [],
                "data_changes": data_changes,
            }
        )
    return sections


def _declarations(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    a = {d["key"]: d for d in old}
    b = {d["key"]: d for d in new}
    changes = []
    for key in sorted(set(a) | set(b)):
        before, after = a.get(key), b.get(key)
        if before and after and before.get("version") == after.get("version"):
            continue
        changes.append(
            {
                "label": key,
                "old": _("第%(v)s版に同意") % {"v": before["version"]} if before else _("未宣誓"),
                "new": _("第%(v)s版に同意") % {"v": after["version"]} if after else _("未宣誓"),
            }
        )
    return changes


def compare_snapshots(old: Mapping[str, Any], new: Mapping[str, Any], round_obj: Round) -> dict[str, Any]:
    """The readable difference between two snapshots, section by section. `changed` is False
    when nothing a person would see differs."""
    categories = dict(category_choices(round_obj))
    doc_names = {d.code: localised(d, "name") for d in round_obj.rules.documents}
    profile = _field_changes(old.get("profile", {}), new.get("profile", {}), PROFILE_FIELDS)
    plan = _plan(
        old.get("plan", {}), new.get("plan", {}), round_obj.rules.application.plan_sections, round_obj
    )
    budget = _budget(old.get("budget", {}), new.get("budget", {}), categories)
    documents = _documents(old.get("documents", []), new.get("documents", []), doc_names)
    disclosure = _field_changes(
        old.get("disclosure", {}), new.get("disclosure", {}), [*DISCLOSURE_FIELDS, "confirmed_revision"]
    )
    declarations = _declarations(old.get("declarations", []), new.get("declarations", []))
    budget_changed = any(budget[k] for k in ("added", "removed", "changed", "totals"))
    documents_changed = any(documents.values())
    return {
        "titles": section_titles(),
        "profile": profile,
        "plan": plan,
        "budget": budget,
        "budget_changed": budget_changed,
        "documents": documents,
        "documents_changed": documents_changed,
        "disclosure": disclosure,
        "declarations": declarations,
        "changed": bool(profile or plan or budget_changed or documents_changed or disclosure or declarations),
    }
