"""Form parts every app uses: fields that accept what people type on Japanese keyboards, and
one way to show a service's refusal on the form that caused it."""

from __future__ import annotations

from typing import Any

import jaconv
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest


def to_half_width(value: str) -> str:
    """People type ＠, full-width digits and hyphens on Japanese keyboards; accept them."""
    return jaconv.z2h(value, kana=False, ascii=True, digit=True).replace("ー", "-").strip()


class HalfWidthCharField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return to_half_width(super().to_python(value) or "")


class HalfWidthEmailField(forms.EmailField):
    def to_python(self, value: Any) -> str:
        return to_half_width(super().to_python(value) or "").lower()


class YenIntegerField(forms.IntegerField):
    """Accepts full-width digits and thousands separators: ５，０００，０００ → 5000000. A text box
    with the numeric keyboard, never type=number: the browser would refuse "2,400,000" and throw
    full-width digits away before the server sees them."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = to_half_width(value).replace(",", "").replace("，", "").replace(" ", "")
        return super().to_python(value)


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the form
    has that field, otherwise at the top (the error summary lists both)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for error in errors:
                form.add_error(target, error.messages)
        return
    for message in exc.messages:
        form.add_error(None, message)


def form_status(request: HttpRequest) -> int:
    """A form page shown again after a POST shows a refused submission: 400, not 200."""
    return 400 if request.method == "POST" else 200
