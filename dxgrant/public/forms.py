from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import User
from dxgrant.core.forms import HalfWidthCharField, HalfWidthEmailField, YenIntegerField
from dxgrant.core.i18n import localised
from dxgrant.programs.eligibility import condition_holds
from dxgrant.programs.schema import Condition, Eligibility, EligibilityField

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
                    self.add_error(name, _required_because(spec, condition, self.specs))
        return cleaned

    def facts(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.specs}


def _with_label(message: str, label: str) -> str:
    """The message with the question's label in it; Django fills %(limit_value)s afterwards."""
    return message.replace("%(label)s", label.replace("%", "%%"))


def _answer_text(spec: EligibilityField | None, value: Any) -> str:
    """An answer as the question offered it: a choice's label, はい/いいえ, or the value."""
    if spec is not None and spec.type == "choice":
        labels = {c.value: localised(c, "label") for c in spec.choices}
        return labels.get(str(value), str(value))
    if isinstance(value, bool):
        return gettext("はい") if value else gettext("いいえ")
    return str(value)


def _required_because(
    spec: EligibilityField, condition: Condition, specs: dict[str, EligibilityField]
) -> str:
    """Why an optional-looking question must be answered, naming both questions: "「事業者の形態」が
    「法人」の場合は、「資本金（円）」を入力してください。"."""
    other = specs.get(condition.field)
    other_label = localised(other, "label") if other is not None else condition.field
    label = localised(spec, "label")
    if condition.op in ("eq", "in"):
        values = condition.value if isinstance(condition.value, list) else [condition.value]
        answer = "・".join(_answer_text(other, v) for v in values)
        return gettext("「%(other)s」が「%(answer)s」の場合は、「%(label)s」を入力してください。") % {
            "other": other_label,
            "answer": answer,
            "label": label,
        }
    return gettext("「%(other)s」への回答では、「%(label)s」の入力が必要です。入力してください。") % {
        "other": other_label,
        "label": label,
    }


def _self_check_field(spec: EligibilityField) -> forms.Field:
    """One question. Every message names the question and says what to do."""
    label = localised(spec, "label")
    help_text = localised(spec, "help")
    if spec.type == "choice":
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=[(c.value, localised(c, "label")) for c in spec.choices],
            widget=forms.RadioSelect,
            error_messages={"required": _with_label(gettext("「%(label)s」を選んでください。"), label)},
        )
    if spec.type == "boolean":
        return forms.TypedChoiceField(
            label=label,
            help_text=help_text,
            choices=[("yes", _("はい")), ("no", _("いいえ"))],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            error_messages={
                "required": _with_label(
                    gettext("「%(label)s」について、「はい」か「いいえ」を選んでください。"), label
                )
            },
        )
    invalid = (
        _with_label(gettext("「%(label)s」は数字で入力してください（例: %(example)s）。"), label).replace(
            "%(example)s", spec.example.replace("%", "%%")
        )
        if spec.example
        else _with_label(gettext("「%(label)s」は数字で入力してください。"), label)
    )
    return YenIntegerField(
        label=label,
        help_text=help_text,
        min_value=spec.min,
        max_value=spec.max,
        required=spec.required_when is None,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _with_label(gettext("「%(label)s」を入力してください。"), label),
            "invalid": invalid,
            "min_value": _with_label(
                gettext("「%(label)s」には%(limit_value)s以上の数を入力してください。"), label
            ),
            "max_value": _with_label(
                gettext("「%(label)s」には%(limit_value)s以下の数を入力してください。"), label
            ),
        },
    )
