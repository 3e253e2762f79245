"""The committee's forms: the budget (and its "what if"), a meeting, an override."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import YenIntegerField

from .models import Outcome


def _yen(**kwargs: Any) -> YenIntegerField:
    """A yen amount typed as text ("8,000,000", full-width digits): a number input would refuse
    them in the browser. The numeric keyboard on phones, as the application's budget fields."""
    return YenIntegerField(
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}), **kwargs
    )


class BudgetForm(forms.Form):
    budget_yen = _yen(label=_("予算額（円）"), min_value=1)


class WhatIfForm(forms.Form):
    """A budget to try on the committee page (GET): shows the cut-off, saves nothing."""

    budget = _yen(label=_("仮の予算額（円）"), min_value=1, required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("開催日"), widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.CharField(label=_("出席者"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("議事録"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))


class OverrideForm(forms.Form):
    forced_outcome = forms.ChoiceField(
        label=_("結果の変更"),
        choices=[("", _("変更しない")), (Outcome.AWARDED, _("採択")), (Outcome.REJECTED, _("不採択"))],
        required=False,
    )
    decided_yen = _yen(label=_("減額後の金額（円）"), min_value=0, required=False)
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
