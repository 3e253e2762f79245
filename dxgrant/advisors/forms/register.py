"""The public register's search form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.japan.prefectures import PREFECTURES

from ..models import PublicStatus


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
        self.fields["q"].help_text = _(
            "名前やフリガナの一部でも、ひらがな・カタカナ・半角カナのどれでも探せます。"
            "認定番号（「%(example)s」の形式）は一部でも探せます。"
        ) % {"example": number_example}
        for field in self.fields.values():
            # Search criteria are all optional by nature; the page does not label each one so.
            field.conditional = True  # type: ignore[attr-defined]
