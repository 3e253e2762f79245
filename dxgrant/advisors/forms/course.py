"""The advisor course's quiz as a form: one question per field, from the programme's data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.programs.schema import QuizQuestion


class QuizForm(forms.Form):
    def __init__(self, *args: Any, questions: Sequence[QuizQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.code] = forms.ChoiceField(
                label=localised(question, "question"),
                choices=[(c.value, localised(c, "label")) for c in question.choices],
                widget=forms.RadioSelect,
                error_messages={"required": _("答えを選んでください。")},
            )
