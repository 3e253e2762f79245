"""Forms of the secretariat's application pages: the list's filters and the return (差戻し)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dxgrant.advisors.models import AdvisorFirm
from dxgrant.advisors.selectors import named
from dxgrant.core.i18n import current_language, localised
from dxgrant.core.search import matching
from dxgrant.japan import industry as jsic
from dxgrant.japan.prefectures import PREFECTURES, prefecture_name
from dxgrant.programs.models import Round

from .. import workflow
from ..models import Application
from ..returns import COMMENT_MAX_CHARS

# Employee bands (常時使用する従業員数): code → (label, lowest, highest or None).
SIZE_BANDS: dict[str, tuple[Any, int, int | None]] = {
    "0-5": (_("0〜5人"), 0, 5),
    "6-20": (_("6〜20人"), 6, 20),
    "21-50": (_("21〜50人"), 21, 50),
    "51-100": (_("51〜100人"), 51, 100),
    "101-": (_("101人以上"), 101, None),
}


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=200,
        help_text=_(
            "会社名、フリガナ、法人番号、受付番号。一部だけでも、ひらがな・カタカナ・半角カナのどれでも探せます。"
        ),
    )
    round = forms.ModelChoiceField(
        label=_("公募回"), queryset=Round.objects.none(), required=False, empty_label=_("すべて")
    )
    status = forms.ChoiceField(label=_("状態"), required=False)
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False)
    industry = forms.ChoiceField(label=_("業種"), required=False)
    # A search field, not a list of every firm (thousands of firms would be a page of options):
    # the browser suggests matching firms as people type (firm_suggestions, a <datalist>), and
    # without JavaScript the typed name filters just the same.
    firm = forms.CharField(
        label=_("認定事業者"),
        required=False,
        max_length=100,
        help_text=_("事業者名、フリガナまたは認定番号（一部でも）。入力すると候補が表示されます。"),
        widget=forms.TextInput(
            attrs={
                "list": "firm-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("staff_applications:firm_suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#firm-suggestions",
            }
        ),
    )
    size = forms.ChoiceField(label=_("従業員数"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.order_by("-application_opens", "code")  # type: ignore[attr-defined]
        self.fields["status"].choices = _blank(_("すべて")) + list(workflow.STATES.items())  # type: ignore[attr-defined]
        language = current_language()
        self.fields["round"].label_from_instance = lambda r: localised(r, "name")  # type: ignore[attr-defined]
        self.fields["prefecture"].choices = _blank(_("すべて")) + [  # type: ignore[attr-defined]
            (p, prefecture_name(p, language)) for p in PREFECTURES
        ]
        self.fields["industry"].choices = _blank(_("すべて")) + jsic.choices()  # type: ignore[attr-defined]
        self.fields["size"].choices = _blank(_("すべて")) + [(k, v[0]) for k, v in SIZE_BANDS.items()]  # type: ignore[attr-defined]

    def apply(self, applications: QuerySet[Application]) -> QuerySet[Application]:
        """Filter the list by every valid choice; an invalid form filters nothing."""
        if not self.is_valid():
            return applications
        data = self.cleaned_data
        if data["round"]:
            applications = applications.filter(round=data["round"])
        if data["status"]:
            applications = applications.filter(status=data["status"])
        if data["prefecture"]:
            applications = applications.filter(prefecture=data["prefecture"])
        if data["industry"]:
            applications = applications.filter(industry=data["industry"])
        if data["firm"].strip():
            applications = applications.filter(firm__in=named(AdvisorFirm.objects.all(), data["firm"]))
        if data["size"]:
            _label, low, high = SIZE_BANDS[data["size"]]
            applications = applications.filter(employees__gte=low)
            if high is not None:
                applications = applications.filter(employees__lte=high)
        # Name, reading, 法人番号 or receipt number, whole or in part, however typed.
        return matching(applications, data["q"] or "")

    def querystring(self) -> str:
        """The current filters, for the next-page link."""
        if not self.is_bound:
            return ""
        return urlencode({k: v for k, v in self.data.items() if k != "before" and v})


class ReturnForm(forms.Form):
    """One comment box per part of the application; at least one must be filled."""

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for code, title in sections:
            self.fields[f"comment_{code}"] = forms.CharField(
                label=title,
                required=False,
                max_length=COMMENT_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(f"comment_{code}") or "").strip() for code, _title in self.sections):
            raise forms.ValidationError(_("修正してほしい項目に、少なくとも一つコメントを書いてください。"))
        return data

    def comments(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"comment_{code}"].strip()
            for code, _title in self.sections
            if (self.cleaned_data.get(f"comment_{code}") or "").strip()
        }
