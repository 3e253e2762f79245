"""The public register's search form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import to_half_width

from ..models import PublicStatus
from .fields import PREFECTURES

CERTIFICATION_NUMBER_RE = re.compile(r"[A-Za-z]{2,5}-[0-9]{4}-[0-9]{5,}")


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("事業者名・フリガナ・認定番号"), required=False, max_length=100)
    prefecture = forms.ChoiceField(
        label=_("都道府県"), required=False, choices=[("", _("すべて")), *[(p, p) for p in PREFECTURES]]
    )
    status = forms.ChoiceField(
        label=_("認定の状態"), required=False, choices=[("", _("すべて")), *PublicStatus.choices]
    )

    def __init__(self, *args: Any, number_example: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("認定番号は「%(example)s」のように全体を入力してください。") % {
            "example": number_example
        }
        for field in self.fields.values():
            # Search criteria are all optional by nature; the page does not label each one so.
            field.conditional = True  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        value: str = self.cleaned_data.get("q", "").strip()
        # A certification number typed in full-width letters and digits is still found.
        half = to_half_width(value)
        return half.upper() if CERTIFICATION_NUMBER_RE.fullmatch(half) else value
