"""Survey answers: what each kind of question accepts, a section's status in the task list, and
how an answer is written in the export. Pure: no database.

Kinds: free text, single choice, multiple choice, number (whole, optional min/max), scale 1-5.
A stored value is a string (text, single), a list of strings (multiple) or an int (number, scale);
an empty answer is None and is not stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT = "text"
SINGLE = "single"
MULTIPLE = "multiple"
NUMBER = "number"
SCALE = "scale"

KINDS = {
    TEXT: gettext_lazy("自由記述"),
    SINGLE: gettext_lazy("単一選択"),
    MULTIPLE: gettext_lazy("複数選択"),
    NUMBER: gettext_lazy("数値"),
    SCALE: gettext_lazy("5段階評価"),
}
CHOICE_KINDS = (SINGLE, MULTIPLE)
SCALE_MIN, SCALE_MAX = 1, 5
TEXT_MAX_CHARS = 4000
# Multiple choices in one cell of the export.
JOINER = "；"

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"


class AnswerError(ValueError):
    """An answer a question does not accept; the message says what to do."""


@dataclass(frozen=True)
class QuestionSpec:
    """What the rules need of a question."""

    key: int
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None


def _to_half_width(text: str) -> str:
    return text.translate(str.maketrans("０１２３４５６７８９－，", "0123456789-,"))


def clean_answer(spec: QuestionSpec, raw: str | Sequence[str] | None) -> Any:
    """The value to store for what was typed or picked (None for no answer), or AnswerError."""
    if spec.kind == MULTIPLE:
        picked = [raw] if isinstance(raw, str) else list(raw or [])
        picked = [p for p in picked if p != ""]
        unknown = [p for p in picked if p not in spec.choices]
        if unknown:
            raise AnswerError(_("選択肢にない回答です。表示されている選択肢から選んでください。"))
        return [c for c in spec.choices if c in picked] or None
    text = (raw if isinstance(raw, str) else (raw[0] if raw else "")).strip()
    if text == "":
        return None
    if spec.kind == TEXT:
        if len(text) > TEXT_MAX_CHARS:
            raise AnswerError(
                _("%(max)s文字以内で入力してください（現在%(count)s文字）。")
                % {"max": TEXT_MAX_CHARS, "count": len(text)}
            )
        return text
    if spec.kind == SINGLE:
        if text not in spec.choices:
            raise AnswerError(_("選択肢にない回答です。表示されている選択肢から選んでください。"))
        return text
    number_text = _to_half_width(text).replace(",", "")
    try:
        number = int(number_text)
    except ValueError:
        raise AnswerError(_("整数を半角数字で入力してください（例: 12）。")) from None
    if spec.kind == SCALE:
        if not SCALE_MIN <= number <= SCALE_MAX:
            raise AnswerError(_("1から5のいずれかを選んでください。"))
        return number
    if spec.min_value is not None and number < spec.min_value:
        raise AnswerError(_("%(min)s以上の数を入力してください。") % {"min": spec.min_value})
    if spec.max_value is not None and number > spec.max_value:
        raise AnswerError(_("%(max)s以下の数を入力してください。") % {"max": spec.max_value})
    return number


def check_definition(
    kind: str, choices: Sequence[str], min_value: int | None, max_value: int | None
) -> dict[str, str]:
    """Problems of a question as the builder defines it, by field ({} when it is sound)."""
    problems: dict[str, str] = {}
    if kind not in KINDS:
        problems["kind"] = _("質問の種類を選んでください。")
        return problems
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            problems["choices"] = _("選択肢を2つ以上、1行に1つずつ入力してください。")
        elif len(set(choices)) != len(choices):
            problems["choices"] = _("同じ選択肢が重複しています。重複を削除してください。")
    elif choices:
        problems["choices"] = _("選択肢は単一選択・複数選択の質問にだけ指定できます。")
    if kind != NUMBER and (min_value is not None or max_value is not None):
        problems["min_value"] = _("最小値・最大値は数値の質問にだけ指定できます。")
    elif min_value is not None and max_value is not None and min_value > max_value:
        problems["max_value"] = _("最大値は最小値以上にしてください。")
    return problems


def answered(value: Any) -> bool:
    return value is not None and value != "" and value != []


def missing_required(specs: Iterable[QuestionSpec], answers: Mapping[int, Any]) -> list[int]:
    """Keys of the required questions without an answer, in order."""
    return [s.key for s in specs if s.required and not answered(answers.get(s.key))]


def section_status(specs: Sequence[QuestionSpec], answers: Mapping[int, Any]) -> str:
    """未着手 (nothing answered), 完了 (every required question answered and at least one
    answer), else 入力中."""
    any_answer = any(answered(answers.get(s.key)) for s in specs)
    if not any_answer:
        return NOT_STARTED
    return COMPLETED if not missing_required(specs, answers) else IN_PROGRESS


def export_cell(kind: str, value: Any) -> str:
    """An answer as one cell of the export ("" for none; multiple choices joined with "；")."""
    if not answered(value):
        return ""
    if kind == MULTIPLE:
        return JOINER.join(str(v) for v in value)
    return str(value)


def fingerprint(answers: Mapping[int, Any]) -> int:
    """A section's revision: a number that changes whenever its stored answers do (by question
    id). Derived from the answers, so two people answering different sections never conflict,
    and nothing needs to be stored."""
    canonical = json.dumps(sorted((int(key), value) for key, value in answers.items()), ensure_ascii=False)
    return int(hashlib.sha256(canonical.encode()).hexdigest()[:12], 16)
