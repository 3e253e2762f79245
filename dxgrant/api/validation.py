"""pydantic's validation errors, said in our words and the request's language.

pydantic writes "Field required" or "Input should be greater than or equal to 0" in English
whatever the request asked for; each error type it raises on our schemas is given a message
here that names the field and says what to send. Call inside `translation.override(...)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.programs.eligibility import FieldError
from dxgrant.programs.schema import Eligibility

# Location parts ninja adds that are not the client's field names.
_WRAPPERS = {"body", "payload", "query", "path"}


def field_name(error: Mapping[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in _WRAPPERS]
    return ".".join(loc) or "(body)"


def message(error: Mapping[str, Any]) -> str:
    """One error of pydantic's `errors()` as a sentence in the active language."""
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    field = field_name(error)
    if kind == "missing":
        return _("「%(field)s」がありません。値を入れて送ってください。") % {"field": field}
    if kind == "extra_forbidden":
        return _("「%(field)s」という項目はありません。項目名を確かめ、不要なら外してください。") % {
            "field": field
        }
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("「%(field)s」は整数で送ってください（例: 20。引用符で囲まない数値）。") % {"field": field}
    if kind in {"bool_type", "bool_parsing"}:
        return _("「%(field)s」は true か false で送ってください（引用符で囲まない値）。") % {"field": field}
    if kind == "string_type":
        return _("「%(field)s」は文字列で送ってください。") % {"field": field}
    if kind == "greater_than_equal":
        return _("「%(field)s」は%(limit)s以上の数で送ってください。") % {
            "field": field,
            "limit": context.get("ge"),
        }
    if kind == "less_than_equal":
        return _("「%(field)s」は%(limit)s以下の数で送ってください。") % {
            "field": field,
            "limit": context.get("le"),
        }
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("本文はJSONのオブジェクト（{ ... }）で送ってください。")
    if kind == "json_invalid":
        return _("本文をJSONとして読めません。書式を確かめてください。")
    return _("「%(field)s」の値が正しくありません。API仕様（/api/v1/docs）の形式で送ってください。") % {
        "field": field
    }


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [{"field": field_name(error), "message": message(error)} for error in errors]


def fact_errors(errors: list[FieldError], rules: Eligibility) -> list[dict[str, str]]:
    """The round's own checks of the facts (programs/eligibility.validate_facts), each message
    naming the field and its label, the values a choice takes, and, for a field another answer
    makes required, which answer."""
    fields = {spec.name: spec for spec in rules.fields}
    out = []
    for error in errors:
        spec = fields.get(error.field)
        if spec is None:
            text = _("「%(field)s」: %(message)s") % {"field": error.field, "message": error.message}
        else:
            text = _("「%(field)s」（%(label)s）: %(message)s") % {
                "field": error.field,
                "label": localised(spec, "label"),
                "message": error.message,
            }
            if spec.type == "choice":
                text += " " + _("送れる値: %(values)s") % {"values": ", ".join(c.value for c in spec.choices)}
            condition = spec.required_when
            if condition is not None and condition.op == "eq":
                text += " " + _("「%(other)s」が %(value)s のときは必ず送ってください。") % {
                    "other": condition.field,
                    "value": condition.value,
                }
        out.append({"field": error.field, "message": text})
    return out
