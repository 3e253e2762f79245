"""Forms of the records that follow a decision."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from dxgrant.applications.forms.application import SubmitForm
from dxgrant.core.forms import HalfWidthCharField, YenIntegerField
from dxgrant.japan import banks

from .models import AccountType, TransferResult
from .services.payee import AccountDetails

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


# The bank's result file: one 122-byte line a transfer, so 5 MB is some 40,000 transfers.
RESULTS_FILE_MAX_BYTES = 5 * 1024 * 1024


class TransferResultsFileForm(forms.Form):
    """The bank's result file for a batch (``zengin_results``); read here, checked by the service."""

    file = forms.FileField(
        label=_("銀行の振込結果ファイル"),
        help_text=_(
            "銀行から返された全銀形式の振込結果ファイル（5 MB以下）を選んでください。取り込んだ結果を確認してから確定してください。"
        ),
        error_messages={
            "required": _("取り込む振込結果ファイルを選んでください。"),
            "empty": _("ファイルが空です。銀行から返された振込結果ファイルを選んでください。"),
        },
    )

    filename = ""

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        self.filename = upload.name or ""
        if upload.size > RESULTS_FILE_MAX_BYTES:
            raise ValidationError(
                _("ファイルが大きすぎます。%(limit)s MB以下の振込結果ファイルを選んでください。"),
                code="too_large",
                params={"limit": RESULTS_FILE_MAX_BYTES // (1024 * 1024)},
            )
        return bytes(upload.read())


_LEADING_CODE = {4: re.compile(r"^([0-9]{4})(?:\s|$)"), 3: re.compile(r"^([0-9]{3})(?:\s|$)")}
CANDIDATES_SHOWN = 5


def code_typed(text: str, digits: int) -> str | None:
    """A code typed alone, or first as the suggestion list fills it in ("0001 みずほ")."""
    match = _LEADING_CODE[digits].match(unicodedata.normalize("NFKC", text).strip())
    return match.group(1) if match else None


def _choose(text: str, found: list[Any], what: str | Promise) -> str:
    """The one code `found` names, or a refusal listing the candidates."""
    folded = unicodedata.normalize("NFKC", text).strip()
    exact = [item for item in found if unicodedata.normalize("NFKC", item.name) == folded]
    if len(exact) == 1:
        return str(exact[0].code)
    if len(found) == 1:
        return str(found[0].code)
    if not found:
        raise forms.ValidationError(
            _("「%(text)s」に当てはまる%(what)sが見つかりません。コードか正式な名前で入力してください。")
            % {"text": text, "what": what}
        )
    listed = "、".join(f"{item.code} {item.name}" for item in found[:CANDIDATES_SHOWN])
    raise forms.ValidationError(
        _("「%(text)s」に当てはまる%(what)sが複数あります（%(listed)s）。コードで指定してください。")
        % {"text": text, "what": what, "listed": listed}
    )


class AccountForm(forms.Form):
    bank = forms.CharField(
        label=gettext_lazy("金融機関"),
        max_length=60,
        help_text=gettext_lazy("金融機関コード（4桁）または名前。例: 0001 または みずほ"),
        widget=forms.TextInput(attrs={"list": "bank-options", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("金融機関をコード（4桁）または名前で入力してください。")},
    )
    branch = forms.CharField(
        label=gettext_lazy("支店"),
        max_length=60,
        help_text=gettext_lazy("支店コード（3桁）または支店名。例: 001 または 東京営業部"),
        widget=forms.TextInput(attrs={"list": "branch-options", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("支店をコード（3桁）または支店名で入力してください。")},
    )
    account_type = forms.ChoiceField(
        label=gettext_lazy("預金種目"),
        choices=AccountType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("預金種目を選んでください。")},
    )
    account_number = forms.CharField(
        label=gettext_lazy("口座番号（7桁）"),
        max_length=20,
        help_text=gettext_lazy("通帳に記載の7桁の番号（全角の数字でも入力できます）。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("口座番号を入力してください。")},
    )
    holder = forms.CharField(
        label=gettext_lazy("口座名義（カナ）"),
        max_length=60,
        help_text=gettext_lazy(
            "通帳のとおりに入力してください（ひらがな・全角カナでも入力できます）。事業者ご自身の名義の口座に限ります。"
            "例: カ）ヤマダセイサクショ"
        ),
        error_messages={"required": gettext_lazy("口座名義（カナ）を入力してください。")},
    )

    def clean_bank(self) -> str:
        text = self.cleaned_data["bank"]
        code = code_typed(text, 4)
        if code is not None:
            if banks.get_bank(code) is None:
                raise forms.ValidationError(
                    _("金融機関コード %(code)s の金融機関はありません。") % {"code": code}
                )
            return code
        return _choose(text, banks.search_banks(text, limit=20), _("金融機関"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        bank = cleaned.get("bank")
        text = cleaned.get("branch")
        if bank and text:
            code = code_typed(text, 3)
            try:
                if code is not None:
                    if banks.get_branch(bank, code) is None:
                        raise forms.ValidationError(
                            _("この金融機関に支店コード %(code)s の支店はありません。") % {"code": code}
                        )
                    cleaned["branch"] = code
                else:
                    cleaned["branch"] = _choose(text, banks.search_branches(bank, text, limit=20), _("支店"))
            except forms.ValidationError as exc:
                self.add_error("branch", exc)
        return cleaned

    def details(self) -> AccountDetails:
        data = self.cleaned_data
        return AccountDetails(
            bank_code=data["bank"],
            branch_code=data["branch"],
            account_type=data["account_type"],
            account_number=data["account_number"],
            holder=data["holder"],
        )


class CodeField(HalfWidthCharField):
    """The code from the authenticator app, worded as on the final submission."""

    def __init__(self, **kwargs: Any) -> None:
        submit_code = SubmitForm.base_fields["code"]
        super().__init__(
            label=submit_code.label,
            max_length=10,
            help_text=submit_code.help_text,
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
            error_messages=submit_code.error_messages,
            **kwargs,
        )


class ApplicantAccountForm(AccountForm):
    """The applicant's form; with the code field when the change needs one (after acceptance)."""

    def __init__(self, *args: Any, needs_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_code:
            self.fields["code"] = CodeField()


class OverrideForm(AccountForm):
    reason = forms.CharField(
        label=gettext_lazy("名義が一致しない口座を認める理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("確認した書類と事情を記録してください（監査ログに残ります）。"),
        error_messages={"required": gettext_lazy("名義が一致しない口座を認める理由を入力してください。")},
    )


class AcceptForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("上記の交付条件を確認し、受諾します。"),
        error_messages={
            "required": gettext_lazy(
                "受諾するには「上記の交付条件を確認し、受諾します。」にチェックを入れてください。"
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"] = CodeField()


# --- cancellation ---


class CancelDecisionForm(forms.Form):
    """The secretariat's cancellation of an award: the reason the applicant reads."""

    reason = forms.CharField(
        label=_("取消しの理由"),
        help_text=_("申請者に通知されます。根拠となる交付規程の条項も記載してください。"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("交付決定を取り消す理由を入力してください。")},
    )


class RepaymentForm(forms.Form):
    """Finance records money paid back against a demand."""

    amount_yen = YenIntegerField(
        label=_("返還額（円）"),
        min_value=1,
        error_messages={
            "required": _("返還額を入力してください。"),
            "invalid": _("返還額は数字で入力してください。"),
            "min_value": _("返還額は1円以上で入力してください。"),
        },
    )
    paid_on = forms.DateField(
        label=_("納付日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("納付日を入力してください。"),
            "invalid": _("日付の形式が正しくありません。"),
        },
    )
