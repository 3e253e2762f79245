"""Forms of the applicant's and advisor's pages. Formats are checked here (bad input keeps the
typed values and names each field); completeness is judged by completeness.py, so a half-filled
section can still be saved."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.advisors.forms.fields import PercentField
from dxgrant.core.forms import HalfWidthCharField, YenIntegerField
from dxgrant.core.i18n import current_language
from dxgrant.japan import corporate_number, industry, postal
from dxgrant.programs.models import DeclarationText

from ..completeness import REQUIRED_FOR_CORPORATIONS, REQUIRED_PROFILE
from ..models import Application, EntityType, FeeTiming
from ..snapshot import DISCLOSURE_FIELDS, PROFILE_FIELDS

YES_NO = [("", "---------"), ("true", _("はい")), ("false", _("いいえ"))]


def _to_bool(value: Any) -> bool | None:
    return {"true": True, "false": False, True: True, False: False}.get(value)


def _number(**kwargs: Any) -> YenIntegerField:
    """Text box (not type=number) so full-width digits and thousands separators can be typed."""
    return YenIntegerField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs)


def known_postal_code(value: str) -> str:
    """A postal code as 123-4567, refused when malformed or when Japan Post does not know it
    (typed wrong: saving it would leave an address nobody can reach)."""
    if not value:
        return ""
    try:
        address = postal.lookup(value)
    except ValueError as exc:
        raise forms.ValidationError(_("郵便番号は7桁の数字で入力してください（例: 100-0001）。")) from exc
    digits = postal.normalize(value)
    shown = f"{digits[:3]}-{digits[3:]}"
    if address is None:
        raise forms.ValidationError(
            _("郵便番号「%(code)s」は日本郵便のデータに見つかりません。番号を確かめて入力し直してください。")
            % {"code": shown}
        )
    return shown


class NullBooleanChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=YES_NO, coerce=_to_bool, empty_value=None, required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return "true"
        if value is False:
            return "false"
        return value


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    revision = forms.IntegerField(widget=forms.HiddenInput)
    corporate_number = HalfWidthCharField(label=_("法人番号"), required=False, max_length=20)
    postal_code = HalfWidthCharField(
        label=_("郵便番号"),
        required=False,
        max_length=10,
        help_text=_("入力すると住所の一部を自動で入力します（例: 100-0001）。"),
    )
    phone = HalfWidthCharField(label=_("電話番号"), required=False, max_length=20)
    employees = _number(label=_("常時使用する従業員数"), required=False, min_value=0)
    capital_yen = _number(label=_("資本金（円）"), required=False, min_value=0)
    sales_last_yen = _number(label=_("売上高（直近期・円）"), required=False)
    sales_previous_yen = _number(label=_("売上高（前期・円）"), required=False)
    operating_profit_last_yen = _number(label=_("営業利益（直近期・円）"), required=False)
    operating_profit_previous_yen = _number(label=_("営業利益（前期・円）"), required=False)
    fiscal_year_end_month = forms.TypedChoiceField(
        label=_("決算月"),
        choices=[("", "---------")] + [(str(m), f"{m}月") for m in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    founded_on = forms.DateField(
        label=_("設立・開業日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    antisocial_ties = NullBooleanChoiceField(label=_("反社会的勢力との関係がある"))
    legal_compliance = NullBooleanChoiceField(label=_("法令および公序良俗を遵守している"))

    class Meta:
        model = Application
        fields = PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"] = forms.ChoiceField(
            label=_("業種（日本標準産業分類・大分類）"),
            choices=[("", "---------"), *industry.choices(current_language())],
            required=False,
        )
        self.fields["entity_type"] = forms.ChoiceField(
            label=_("事業者の形態"), choices=[("", "---------"), *EntityType.choices], required=False
        )
        self.fields["company_name"].required = True
        # Saved part by part, but needed to complete the section: not labelled optional.
        for name in (*REQUIRED_PROFILE, *REQUIRED_FOR_CORPORATIONS):
            self.fields[name].conditional = True  # type: ignore[attr-defined]
        for name in REQUIRED_FOR_CORPORATIONS:
            self.fields[name].help_text = _("法人の場合に入力してください。")
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.profile_revision

    def clean_corporate_number(self) -> str:
        value = corporate_number.normalize(self.cleaned_data.get("corporate_number") or "")
        if value and not corporate_number.is_valid(value):
            raise forms.ValidationError(
                _("法人番号は13桁の数字で、チェックディジットが正しいものを入力してください。")
            )
        return value

    def clean_postal_code(self) -> str:
        return known_postal_code(self.cleaned_data.get("postal_code") or "")

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").replace("ー", "-").replace("−", "-")
        digits = value.replace("-", "")
        if value and (not digits.isdigit() or not 10 <= len(digits) <= 11):
            raise forms.ValidationError(
                _("電話番号は10桁または11桁の数字で入力してください（例: 03-1234-5678）。")
            )
        return value

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks formats.
        pass

    def profile_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PROFILE_FIELDS}


FEE_TIMINGS = [("", "---------"), *FeeTiming.choices]


class DisclosureForm(forms.ModelForm):  # type: ignore[type-arg]
    revision = forms.IntegerField(widget=forms.HiddenInput)
    fee_amount_yen = _number(
        label=_("アドバイザー報酬（円・税込）"),
        required=True,
        min_value=0,
        error_messages={
            "required": _("アドバイザー報酬（円・税込）を入力してください。報酬がない場合は0と入力します。"),
            "invalid": _("アドバイザー報酬は円単位の数字で入力してください（例: 330,000）。"),
            "min_value": _("アドバイザー報酬は0円以上で入力してください。"),
        },
    )
    fee_basis = forms.CharField(
        label=_("報酬の算定方法"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("報酬の算定方法を入力してください（例: 定額、作業時間×時間単価）。"),
            "max_length": _("報酬の算定方法は%(limit_value)d字以内で入力してください。"),
        },
    )
    fee_timing = forms.ChoiceField(
        label=_("支払時期"),
        choices=FEE_TIMINGS,
        error_messages={
            "required": _("報酬の支払時期を選んでください。"),
            "invalid_choice": _("報酬の支払時期を一覧から選んでください。"),
        },
    )
    success_fee_percent = PercentField(
        label=_("成功報酬（支援金額に対する％）"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("成功報酬がない場合は空欄にしてください（「なし」と表示します）。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("成功報酬は支援金額に対する％を数字で入力してください（例: 5 または 7.5）。"),
            "min_value": _("成功報酬は0〜100（％）の範囲で入力してください。"),
            "max_value": _("成功報酬は0〜100（％）の範囲で入力してください。"),
            "max_digits": _("成功報酬は0〜100（％）の範囲で、小数点以下2桁までで入力してください。"),
            "max_decimal_places": _("成功報酬は小数点以下2桁までで入力してください。"),
            "max_whole_digits": _("成功報酬は0〜100（％）の範囲で入力してください。"),
        },
    )
    advisor_sells_budget_items = forms.TypedChoiceField(
        label=_("アドバイザーまたは関係者が経費の品目を販売する"),
        choices=[("true", _("はい")), ("false", _("いいえ"))],
        coerce=_to_bool,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "アドバイザーまたは関係者が経費の品目を販売するかどうか、「はい」か「いいえ」を選んでください。"
            )
        },
    )

    class Meta:
        model = Application
        fields = DISCLOSURE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.disclosure_revision
            value = self.instance.advisor_sells_budget_items
            self.initial["advisor_sells_budget_items"] = (
                "" if value is None else ("true" if value else "false")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("advisor_sells_budget_items")
            and not (data.get("advisor_sales_disclosure") or "").strip()
        ):
            self.add_error("advisor_sales_disclosure", _("販売する品目と関係を記載してください。"))
        return data

    def _post_clean(self) -> None:
        pass

    def disclosure_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in DISCLOSURE_FIELDS}


class DisclosureConfirmForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)


class DeclarationsForm(forms.Form):
    def __init__(
        self, *args: Any, declarations: list[DeclarationText], accepted: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        english = current_language() == "en"
        self.pending = []
        for declaration in declarations:
            if declaration.pk in accepted:
                continue
            name = f"declaration_{declaration.pk}"
            self.fields[name] = forms.BooleanField(
                label=declaration.text_en if english else declaration.text_ja, required=False
            )
            self.pending.append(declaration.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.pending and not self.ticked():
            raise forms.ValidationError(_("宣誓・同意する項目にチェックを入れてください。"))
        return data

    def ticked(self) -> list[int]:
        return [pk for pk in self.pending if self.cleaned_data.get(f"declaration_{pk}")]


class SubmitForm(forms.Form):
    code = HalfWidthCharField(
        label=_("認証コード（6桁）"),
        max_length=10,
        help_text=_("認証アプリに表示されている6桁の数字を入力してください。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": _("認証コード（6桁）を入力してください。認証アプリに表示されている数字です。"),
            "max_length": _(
                "認証コード（6桁）は、認証アプリに表示されている6桁の数字だけを入力してください。"
            ),
        },
    )
    confirm = forms.BooleanField(
        label=_("上記の内容で申請することを確認しました。"),
        error_messages={
            "required": _(
                "提出するには「上記の内容で申請することを確認しました。」にチェックを入れてください。"
            )
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    # The fingerprint of the content shown on the page (snapshot.digest).
    content_digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("取下げの理由"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("この申請を取り下げます。取り下げた申請は元に戻せません。"),
        error_messages={
            "required": _("取り下げるには「この申請を取り下げます。」の確認欄にチェックを入れてください。")
        },
    )
