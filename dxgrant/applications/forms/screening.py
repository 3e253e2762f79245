"""Forms of the formal screening (形式審査): confirming one item, and rejecting as ineligible."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.screening import NOTE_MAX_CHARS, REASONS_MAX_CHARS

MET = "met"
NOT_MET = "not_met"


class ConfirmItemForm(forms.Form):
    """The person's answer for one item: met or not, with an optional note."""

    answer = forms.ChoiceField(
        label=_("確認結果"),
        choices=[(MET, _("満たす")), (NOT_MET, _("満たさない"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("「満たす」か「満たさない」を選んでください。")},
    )
    note = forms.CharField(
        label=_("メモ"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("システムの確認結果と異なる判断をする場合は、理由を書いてください。"),
    )

    @property
    def met(self) -> bool:
        return bool(self.cleaned_data["answer"] == MET)


class RejectForm(forms.Form):
    reasons = forms.CharField(
        label=_("不採択の理由（申請者とアドバイザーが読みます）"),
        max_length=REASONS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("不採択の理由を、申請者が読んで分かるように書いてください。")},
    )
