"""Forms for the secretariat's review: one decision, and the queue's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import lifecycle
from ..models import RegistrationStatus


class DecisionForm(forms.Form):
    """One decision by the secretariat (a transition of lifecycle.py). What the table's guards ask
    of the secretariat is checked here: a reason (every decision but certification), and the
    confirmation that a revocation cannot be undone."""

    action = forms.ChoiceField(
        choices=[(t.name, t.name) for t in lifecycle.DECISIONS], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("事業者へのメールに記載されます。"),
    )
    confirm = forms.BooleanField(label=_("取り消すと元に戻せないことを確認しました。"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        guards = lifecycle.decision(action).guards if action else ()
        if "reason_given" in guards and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("理由を入力してください。"))
        if "irreversibility_confirmed" in guards and not cleaned.get("confirm"):
            self.add_error("confirm", _("取消しは元に戻せません。確認のチェックを入れてください。"))
        return cleaned


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), required=False, choices=RegistrationStatus.choices)
    q = forms.CharField(label=_("事業者名・認定番号"), required=False, max_length=100)
