"""One rule engine for eligibility: the fields to ask and the rules to apply are the round's data.

The same functions serve the self-check page, the JSON API and the application, so a rule
changed in the programme file changes every one of them at once. They read the validated
model (`round.rules.eligibility`); a stored mapping is validated into it first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dxgrant.core.i18n import current_language, localised

from .schema import Condition, Eligibility, EligibilityField

# The round's eligibility as validated (`round.rules.eligibility`), or as stored (a mapping).
Rules = Eligibility | Mapping[str, Any]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a is not None and a < b,
    "le": lambda a, b: a is not None and a <= b,
    "gt": lambda a, b: a is not None and a > b,
    "ge": lambda a, b: a is not None and a >= b,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


def condition_holds(condition: Condition, facts: Mapping[str, Any]) -> bool:
    return bool(_OPS[condition.op](facts.get(condition.field), condition.value))


def _model(eligibility: Rules) -> Eligibility:
    if isinstance(eligibility, Eligibility):
        return eligibility
    return Eligibility.model_validate(eligibility)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvalidFacts(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def evaluate(eligibility: Rules, facts: Mapping[str, Any], language: str | None = None) -> EligibilityResult:
    """Apply each rule whose `when` holds; every failed rule is a reason."""
    reasons = [
        Reason(rule.code, localised(rule, "message", language))
        for rule in _model(eligibility).rules
        if (rule.when is None or condition_holds(rule.when, facts)) and not condition_holds(rule, facts)
    ]
    return EligibilityResult(eligible=not reasons, reasons=reasons)


def _messages(language: str) -> dict[str, str]:
    ja = language != "en"
    return {
        "missing": "入力してください。" if ja else "This field is required.",
        "unknown": "この項目は受け付けていません。" if ja else "This field is not accepted.",
        "integer": "整数で入力してください。" if ja else "Enter a whole number.",
        "boolean": "true または false で指定してください。" if ja else "Must be true or false.",
        "choice": "選択肢から選んでください。" if ja else "Choose one of the options.",
        "min": "{n}以上の数を入力してください。" if ja else "Must be {n} or more.",
        "max": "{n}以下の数を入力してください。" if ja else "Must be {n} or less.",
    }


def validate_facts(
    eligibility: Rules, data: Mapping[str, Any], language: str | None = None
) -> dict[str, Any]:
    """Check typed input (from the JSON API) against the round's field definitions.

    Refuses unknown fields, missing fields, wrong types (a boolean is not a number), numbers out
    of range and a field that another answer makes required. Returns the facts to evaluate.
    """
    msg = _messages((language or current_language())[:2])
    fields = {f.name: f for f in _model(eligibility).fields}
    errors = [FieldError(name, msg["unknown"]) for name in data if name not in fields]
    facts: dict[str, Any] = {}
    for name, spec in fields.items():
        value = data.get(name)
        required = spec.required_when is None or condition_holds(spec.required_when, data)
        if value is None:
            if required:
                errors.append(FieldError(name, msg["missing"]))
            facts[name] = None
            continue
        error = _type_error(spec, value, msg)
        if error:
            errors.append(FieldError(name, error))
        facts[name] = value
    if errors:
        raise InvalidFacts(errors)
    return facts


def _type_error(spec: EligibilityField, value: Any, msg: Mapping[str, str]) -> str | None:
    if spec.type == "boolean":
        return None if isinstance(value, bool) else msg["boolean"]
    if spec.type == "choice":
        allowed = {c.value for c in spec.choices}
        return None if isinstance(value, str) and value in allowed else msg["choice"]
    if not isinstance(value, int) or isinstance(value, bool):
        return msg["integer"]
    if spec.min is not None and value < spec.min:
        return msg["min"].format(n=spec.min)
    if spec.max is not None and value > spec.max:
        return msg["max"].format(n=spec.max)
    return None
