"""Forms of the records that follow a decision."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
