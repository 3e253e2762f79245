from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import User
from dxgrant.core.forms import HalfWidthCharField, HalfWidthEmailField, YenIntegerField
from dxgrant.core.i18n import localised
from dxgrant.programs.eligibility import condition_holds
from dxgrant.programs.schema import Eligibility, EligibilityField

from .models import Inquiry, InquiryCategory, InquiryStatus


class InquiryForm(forms.ModelForm):  # type: ignore[type-arg]
    email = HalfWidthEmailField(
        label=_("メールアドレス"),
        help_text=_("受付確認のメールをお送りします。"),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません（例: name@example.jp）。"),
        },
    )
    phone = HalfWidthCharField(
        label=_("電話番号"),
        required=False,
        max_length=20,
        help_text=_("例: 03-1234-5678"),
    )
    agree = forms.BooleanField(
        label=_("入力した内容をお問い合わせへの回答のために利用することに同意します。"),
        error_messages={"required": _("同意いただけない場合は送信できません。")},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Inquiry
        # submission_token is a plain form field: a repeat must reach the service, which dedupes.
        fields = ["name", "organisation", "email", "phone", "category", "message"]
        labels = {"organisation": _("会社名・屋号")}
        widgets = {"category": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"message": _("4,000字以内でご記入ください。")}
        error_messages = {
            "name": {"required": _("お名前を入力してください。")},
            "category": {"required": _("お問い合わせの種類を選んでください。")},
            "message": {"required": _("お問い合わせ内容を入力してください。")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        # A radio list needs no empty "---------" choice.
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [c for c in InquiryCategory.choices]
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["organisation"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data.get("phone", "")
        if phone and not re.fullmatch(r"\+?[0-9][0-9-]{8,18}", phone):
            raise forms.ValidationError(_("電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。"))
        return phone


class InquiryUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=InquiryStatus.choices)
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("担当者"), queryset=None, required=False
    )

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]
        self.fields["assignee"].empty_label = _("（未割当）")  # type: ignore[attr-defined]


class InquiryNoteForm(forms.Form):
    body = forms.CharField(
        label=_("対応メモ（社内用）"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class SelfCheckForm(forms.Form):
    """Built from the round's eligibility fields, so a new question needs no code."""

    def __init__(self, *args: Any, eligibility: Eligibility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = {spec.name: spec for spec in eligibility.fields}
        for name, spec in self.specs.items():
            self.fields[name] = _self_check_field(spec)
            # Required or not depends on another answer: the page must not call it optional.
            self.fields[name].conditional = spec.required_when is not None  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, spec in self.specs.items():
            condition = spec.required_when
            if condition and cleaned.get(name) is None and name not in self.errors:
                if condition_holds(condition, cleaned):
                    self.add_error(name, _("ほかの質問への回答により、この項目の入力が必要です。"))
        return cleaned

    def facts(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.specs}


def _self_check_field(spec: EligibilityField) -> forms.Field:
    label = localised(spec, "label")
    help_text = localised(spec, "help")
    if spec.type == "choice":
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=[(c.value, localised(c, "label")) for c in spec.choices],
            widget=forms.RadioSelect,
            error_messages={"required": _("選択してください。")},
        )
    if spec.type == "boolean":
        return forms.TypedChoiceField(
            label=label,
            help_text=help_text,
            choices=[("yes", _("はい")), ("no", _("いいえ"))],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": _("「はい」か「いいえ」を選んでください。")},
        )
    return YenIntegerField(
        label=label,
        help_text=help_text,
        min_value=spec.min,
        max_value=spec.max,
        required=spec.required_when is None,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("入力してください。"),
            "invalid": _("数字で入力してください（例: 10000000）。"),
            "min_value": _("%(limit_value)s以上の数を入力してください。"),
            "max_value": _("%(limit_value)s以下の数を入力してください。"),
        },
    )
