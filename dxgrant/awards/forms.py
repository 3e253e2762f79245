"""Forms of the pages that follow a decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TransferResult

# --- payments ---


class PrepareBatchForm(forms.Form):
    transfer_date = forms.DateField(
        label=_("振込指定日"),
        help_text=_("銀行の営業日（明日以降）を指定してください。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("振込指定日を入力してください。"),
            "invalid": _("日付の形式が正しくありません。"),
        },
    )


class TransferResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("振込結果"),
        choices=[
            (TransferResult.OK.value, TransferResult.OK.label),
            (TransferResult.FAILED.value, TransferResult.FAILED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("振込結果を選んでください。")},
    )
    code = forms.CharField(
        label=_("不能事由コード"),
        required=False,
        max_length=10,
        help_text=_("振込不能の場合に、銀行から通知された事由コードを入力します。"),
    )
