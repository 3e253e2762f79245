"""Forms of the plan, the budget and the documents. They parse what people type (全角 digits,
commas, 2026/3/31); the services (services/plan.py, budget.py, documents.py) decide what is
valid, and their errors are keyed by these forms' field names so each shows next to its field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import YenIntegerField
from dxgrant.core.i18n import localised
from dxgrant.core.templatetags.dx import yen
from dxgrant.programs.models import Round
from dxgrant.programs.schema import PlanSectionSpec

from .. import budget_rules, plan_rules
from ..document_rules import format_names, max_upload_mb, upload_specs
from ..models import PlanSection

DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _normalise(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def _number_text(value: Any) -> str:
    return _normalise(value).replace(",", "").replace("円", "").replace(" ", "")


def _iso_date(value: Any) -> str:
    text = _normalise(value)
    match = DATE_RE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


def _text(label: Any, *, rows: int | None = None, required: bool = False) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=required, strip=False, widget=widget)


class PlanSectionForm(forms.Form):
    """The text of one section and, for measures / schedule / KPIs, its rows. Blank rows are
    ignored, so the page always offers a few empty ones (no JavaScript needed to add a row)."""

    def __init__(
        self, *args: Any, round_obj: Round, spec: PlanSectionSpec, section: PlanSection | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_obj
        self.spec = spec
        self.row_groups: list[list[str]] = []
        self.row_legends: list[Any] = []
        self.code = spec.code
        data = section.data if section else {}
        text = forms.CharField(
            label=localised(spec, "title"),
            required=False,
            strip=False,
            help_text=_("%(help)s（%(max)s字以内）")
            % {"help": localised(spec, "help"), "max": spec.max_chars},
            widget=forms.Textarea(attrs={"rows": 12, "data-max-chars": spec.max_chars}),
            initial=section.text if section else "",
        )
        self.fields["text"] = text
        if self.code == plan_rules.MEASURES:
            self._measure_fields(data.get("measures") or [])
        elif self.code == plan_rules.SCHEDULE:
            self._milestone_fields(data.get("milestones") or [])
        elif self.code == plan_rules.KPIS:
            self._kpi_fields(data)
        self._mark_conditional()

    # --- Structured rows ----------------------------------------------------------------------

    def _measure_fields(self, measures: list[dict[str, Any]]) -> None:
        choices = plan_rules.technology_choices(self.round)
        for i in range(plan_rules.MAX_MEASURES):
            current = measures[i] if i < len(measures) else {}
            self.fields[f"measure-{i}-title"] = _text(_("取組%(n)sの名称") % {"n": i + 1})
            self.fields[f"measure-{i}-description"] = _text(_("取組%(n)sの内容") % {"n": i + 1}, rows=3)
            self.fields[f"measure-{i}-technologies"] = forms.MultipleChoiceField(
                label=_("取組%(n)sで使う技術") % {"n": i + 1},
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )
            self.initial[f"measure-{i}-title"] = current.get("title", "")
            self.initial[f"measure-{i}-description"] = current.get("description", "")
            self.initial[f"measure-{i}-technologies"] = current.get("technologies", [])
            self.row_groups.append(
                [f"measure-{i}-title", f"measure-{i}-description", f"measure-{i}-technologies"]
            )
            self.row_legends.append(_("取組%(n)s") % {"n": i + 1})

    def _milestone_fields(self, milestones: list[dict[str, Any]]) -> None:
        for i in range(plan_rules.MAX_MILESTONES):
            current = milestones[i] if i < len(milestones) else {}
            self.fields[f"milestone-{i}-title"] = _text(_("節目%(n)sの内容") % {"n": i + 1})
            self.fields[f"milestone-{i}-due"] = forms.CharField(
                label=_("節目%(n)sの時期") % {"n": i + 1},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("対象期間（%(starts)s〜%(ends)s）の中の日付")
                % {"starts": self.round.programme_period_starts, "ends": self.round.programme_period_ends},
            )
            self.initial[f"milestone-{i}-title"] = current.get("title", "")
            self.initial[f"milestone-{i}-due"] = current.get("due", "")
            self.row_groups.append([f"milestone-{i}-title", f"milestone-{i}-due"])
            self.row_legends.append(_("節目%(n)s") % {"n": i + 1})

    def _kpi_row(self, prefix: str, label: Any, current: dict[str, Any], *, named: bool) -> list[str]:
        names = []
        if named:
            self.fields[f"{prefix}-name"] = _text(_("%(label)s：指標の名称") % {"label": label})
            names.append(f"{prefix}-name")
        columns = [
            ("unit", _("単位")),
            ("baseline", _("基準値")),
            ("year1", _("1年後")),
            ("year2", _("2年後")),
            ("year3", _("3年後")),
        ]
        for field, column in columns:
            self.fields[f"{prefix}-{field}"] = _text(
                _("%(label)s：%(column)s") % {"label": label, "column": column}
            )
            value = current.get(field)
            self.initial[f"{prefix}-{field}"] = "" if value is None else value
            names.append(f"{prefix}-{field}")
        if named:
            self.initial[f"{prefix}-name"] = current.get("name", "")
        return names

    def _kpi_fields(self, data: dict[str, Any]) -> None:
        for key in plan_rules.KPI_KEYS:
            self.row_groups.append(
                self._kpi_row(f"kpi-{key}", plan_rules.kpi_label(key), data.get(key) or {}, named=False)
            )
            self.row_legends.append(plan_rules.kpi_label(key))
        free = data.get("free") or []
        for i in range(plan_rules.MAX_FREE_KPIS):
            current = free[i] if i < len(free) else {}
            legend = _("独自の指標%(n)s") % {"n": i + 1}
            self.row_groups.append(self._kpi_row(f"kpi-free-{i}", legend, current, named=True))
            self.row_legends.append(legend)

    # --- Output -------------------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        """The structured rows, each with its legend and bound fields."""
        return [
            {"legend": legend, "fields": [self[name] for name in group]}
            for legend, group in zip(self.row_legends, self.row_groups, strict=True)
        ]

    def _mark_conditional(self) -> None:
        # Needed for a complete plan, not for saving a draft: the page shows no "（任意）".
        for field in self.fields.values():
            field.conditional = True  # type: ignore[attr-defined]

    def text(self) -> str:
        return str(self.cleaned_data.get("text") or "")

    def structured(self) -> dict[str, Any]:
        c = self.cleaned_data
        if self.code == plan_rules.MEASURES:
            return {
                "measures": [
                    {
                        "title": _normalise(c.get(f"measure-{i}-title")),
                        "description": str(c.get(f"measure-{i}-description") or "").strip(),
                        "technologies": list(c.get(f"measure-{i}-technologies") or []),
                    }
                    for i in range(plan_rules.MAX_MEASURES)
                ]
            }
        if self.code == plan_rules.SCHEDULE:
            return {
                "milestones": [
                    {
                        "title": _normalise(c.get(f"milestone-{i}-title")),
                        "due": _iso_date(c.get(f"milestone-{i}-due")),
                    }
                    for i in range(plan_rules.MAX_MILESTONES)
                ]
            }
        if self.code == plan_rules.KPIS:

            def row(prefix: str, named: bool) -> dict[str, Any]:
                values: dict[str, Any] = {"unit": _normalise(c.get(f"{prefix}-unit"))}
                for field in ("baseline", *plan_rules.YEARS):
                    values[field] = _number_text(c.get(f"{prefix}-{field}"))
                if named:
                    values["name"] = _normalise(c.get(f"{prefix}-name"))
                return values

            data: dict[str, Any] = {key: row(f"kpi-{key}", False) for key in plan_rules.KPI_KEYS}
            data["free"] = [row(f"kpi-free-{i}", True) for i in range(plan_rules.MAX_FREE_KPIS)]
            return data
        return {}


class YenField(forms.IntegerField):
    """Accepts 全角 digits, commas and a trailing 円, typed into a text box: a type=number box
    would drop full-width digits in the browser before the server ever saw them."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        return super().to_python(_number_text(value) if isinstance(value, str) else value)


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("経費区分"), error_messages={"required": _("経費区分を選んでください。")}
    )
    item = forms.CharField(
        label=_("品目"), max_length=200, error_messages={"required": _("品目を入力してください。")}
    )
    vendor = forms.CharField(
        label=_("発注先"), max_length=200, error_messages={"required": _("発注先を入力してください。")}
    )
    quantity = YenField(
        label=_("数量"),
        min_value=1,
        max_value=budget_rules.MAX_QUANTITY,
        error_messages={
            "required": _("数量を入力してください。"),
            "invalid": _("数量は整数で入力してください。"),
            "min_value": _("数量は1以上で入力してください。"),
        },
    )
    unit_price_yen = YenField(
        label=_("単価（税抜・円）"),
        min_value=0,
        max_value=budget_rules.MAX_UNIT_PRICE_YEN,
        error_messages={
            "required": _("単価を入力してください。"),
            "invalid": _("単価は円単位の整数で入力してください。"),
            "min_value": _("単価は0円以上で入力してください。"),
        },
    )
    tax_rate_percent = forms.TypedChoiceField(
        label=_("消費税率"),
        coerce=int,
        choices=[(10, _("10%")), (8, _("8%（軽減税率）")), (0, _("0%（非課税・不課税）"))],
        initial=10,
    )

    def __init__(self, *args: Any, round_obj: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", _("選んでください")), *budget_rules.category_choices(round_obj)]

    def values(self) -> budget_rules.LineValues:
        c = self.cleaned_data
        return budget_rules.LineValues(
            category=c["category"],
            item=c["item"],
            vendor=c["vendor"],
            quantity=c["quantity"],
            unit_price_yen=c["unit_price_yen"],
            tax_rate_percent=c["tax_rate_percent"],
        )


class DocumentUploadForm(forms.Form):
    code = forms.ChoiceField(
        label=_("書類の種類"),
        widget=forms.RadioSelect,
        error_messages={"required": _("書類の種類を選んでください。")},
    )
    file = forms.FileField(
        label=_("ファイル"),
        error_messages={"required": _("ファイルを選んでください。"), "empty": _("ファイルが空です。")},
    )

    def __init__(self, *args: Any, round_obj: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [
            (d.code, f"{localised(d, 'name')}（{format_names(d)}）") for d in upload_specs(round_obj)
        ]
        self.fields["file"].help_text = _("%(mb)sMBまで。書類ごとに指定の形式で。") % {
            "mb": max_upload_mb(round_obj)
        }


class QuoteUploadForm(forms.Form):
    """A quotation with its supplier and amount (税抜), as written on it: the rules compare the
    suppliers (相見積 needs two) and the amounts (the cheapest)."""

    supplier = forms.CharField(
        label=_("見積元の業者名"),
        max_length=200,
        error_messages={
            "required": _("見積元の業者名を入力してください（見積書に書かれている発行元の名前）。"),
            "max_length": _("見積元の業者名は200文字以内で入力してください。"),
        },
    )
    amount_yen = YenIntegerField(
        label=_("見積金額（税抜・円）"),
        min_value=0,
        max_value=budget_rules.MAX_UNIT_PRICE_YEN * budget_rules.MAX_QUANTITY,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("見積金額（税抜・円）を、見積書に書かれている金額で入力してください。"),
            "invalid": _("見積金額（税抜・円）は数字で入力してください（例: 1,200,000）。"),
            "min_value": _("見積金額（税抜・円）は0以上の数字で入力してください。"),
            "max_value": _("見積金額（税抜・円）が大きすぎます。見積書の金額を確かめてください。"),
        },
    )
    file = forms.FileField(
        label=_("見積書を添付"),  # as the page labels the field before anything was sent
        error_messages={"required": _("ファイルを選んでください。"), "empty": _("ファイルが空です。")},
    )


class QuoteChoiceForm(forms.Form):
    """Which quotation of a line the purchase is made on, and why when it is not the cheapest."""

    quote = forms.TypedChoiceField(
        label=_("採用する見積書"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("採用する見積書を、この明細の見積書から選んでください。"),
            "invalid_choice": _("採用する見積書を、この明細の見積書から選んでください。"),
        },
    )
    reason = forms.CharField(
        label=_("最安でない見積書を採用する理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("最も安い見積書を採用しない場合に入力します（例: 保守体制、納期、機能の違い）。"),
        error_messages={"max_length": _("採用する理由は2000文字以内で入力してください。")},
    )

    def __init__(self, *args: Any, quotes: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quote"].choices = [  # type: ignore[attr-defined]
            (q.pk, f"{q.supplier or q.original_name}（{yen(q.quoted_amount_yen)}）") for q in quotes
        ]
