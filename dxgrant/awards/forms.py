"""Forms of the records that follow a decision."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import TransferResult

# --- notices ---


class VerifyNoticeForm(forms.Form):
    """The verification page's upload: a notice's PDF, compared byte for byte."""

    file = forms.FileField(
        label=_("通知書のPDF"),
        help_text=_("受け取った通知書のPDFファイルを選んでください。ファイルは保存されません。"),
        error_messages={"required": _("確認する通知書のPDFファイルを選んでください。")},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = int(settings.DXGRANT_NOTICE_VERIFY_MAX_BYTES)
        if upload.size > limit:
            raise ValidationError(
                _("ファイルが大きすぎます。%(limit)s MB以下の通知書のPDFを選んでください。"),
                params={"limit": limit // (1024 * 1024)},
            )
        return bytes(upload.read())


# --- end notices ---


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
