"""The plan change request form: each budget line's new eligible amount, the milestones (the
plan's, plus two empty rows), the reasons; and the secretariat's decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import YenIntegerField

from .plan_change_rules import MAX_MILESTONES
from .plans import Plan

EXTRA_MILESTONES = 2


class PlanChangeForm(forms.Form):
    reasons = forms.CharField(label=_("変更の理由"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.line_names: list[str] = []
        for i, line in enumerate(plan.budget_lines):
            name = f"line-{i}"
            self.fields[name] = YenIntegerField(
                label=str(line.get("item") or ""),
                initial=int(line.get("eligible_amount_yen") or 0),
                required=True,
                error_messages={"required": _("金額を入力してください（0円にする場合は0）。")},
            )
            self.line_names.append(name)
        self.milestone_rows: list[tuple[str, str]] = []
        rows = min(MAX_MILESTONES, len(plan.milestones) + EXTRA_MILESTONES)
        for i in range(rows):
            current = plan.milestones[i] if i < len(plan.milestones) else {}
            title, due = f"milestone-{i}-title", f"milestone-{i}-due"
            self.fields[title] = forms.CharField(
                label=_("節目の内容"), required=False, max_length=200, initial=current.get("title", "")
            )
            self.fields[due] = forms.DateField(
                label=_("時期"),
                required=False,
                initial=current.get("due", ""),
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={"invalid": _("時期を日付で入力してください（例：2026-03-31）。")},
            )
            self.milestone_rows.append((title, due))

    def lines(self) -> list[tuple[dict[str, Any], forms.BoundField]]:
        return [
            (line, self[name]) for line, name in zip(self.plan.budget_lines, self.line_names, strict=True)
        ]

    def milestone_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[title], self[due]) for title, due in self.milestone_rows]

    def amounts(self) -> list[int]:
        return [int(self.cleaned_data[name]) for name in self.line_names]

    def milestones(self) -> list[dict[str, Any]]:
        """The rows with a title or a date (an empty row is no milestone); the row's index is
        kept so that a refusal lands beside it."""
        rows: list[dict[str, Any]] = []
        for title, due in self.milestone_rows:
            text = (self.cleaned_data.get(title) or "").strip()
            date: dt.date | None = self.cleaned_data.get(due)
            if text or date:
                rows.append({"title": text, "due": date})
        return rows


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("決定"),
        choices=[("approve", _("承認する")), ("refuse", _("承認しない"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由（承認しない場合は必須）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
