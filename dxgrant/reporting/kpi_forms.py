"""The form of a KPI year's report: five figures and the plan's own KPIs, typed on a Japanese
keyboard (全角 digits, commas, 円, and △/▲ for a loss are accepted)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import YenIntegerField, to_half_width

from . import kpi
from .services.kpi_reports import Filing

NEGATIVE_MARKS = ("△", "▲", "−", "ー")


class SignedYenField(YenIntegerField):
    """Yen that may be negative: "-1,000", "△1,000" and "▲1,000" are all minus 1,000 (a loss)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip().removesuffix("円")
            for mark in NEGATIVE_MARKS:
                if value.startswith(mark):
                    value = "-" + value[len(mark) :]
        return super().to_python(value)


class HalfWidthDecimalField(forms.DecimalField):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:  # Decimal | None (the stubs type the base as int)
        if isinstance(value, str):
            value = to_half_width(value).replace(",", "").strip()
        return super().to_python(value)


def _yen(label: Any, help_text: Any = "") -> SignedYenField:
    return SignedYenField(
        label=label,
        help_text=help_text or _("円単位で入力してください（例：12,345,000）。"),
        error_messages={
            "required": _("%(label)sを円単位で入力してください。") % {"label": label},
            "invalid": _("%(label)s：数字で入力してください（例：12,345,000）。") % {"label": label},
        },
    )


class KpiReportForm(forms.Form):
    sales_yen = _yen(_("売上高"))
    operating_profit_yen = _yen(
        _("営業利益"), _("円単位。損失のときは先頭に「-」か「△」を付けてください（例：△1,200,000）。")
    )
    personnel_costs_yen = _yen(
        _("人件費"), _("役員報酬・給与・賞与・法定福利費など、円単位で入力してください。")
    )
    depreciation_yen = _yen(_("減価償却費"))
    employees = HalfWidthDecimalField(
        label=_("従業員数（常勤換算）"),
        help_text=_("パート・アルバイトは労働時間で換算し、小数第1位まで入力してください（例：12.5）。"),
        max_digits=12,
        error_messages={
            "required": _("従業員数を入力してください（常勤換算、例：12.5）。"),
            "invalid": _("従業員数：数字で入力してください（例：12.5）。"),
        },
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, free_rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.free_count = len(free_rows)
        for index, row in enumerate(free_rows):
            label = f"{row.get('name')}" + (f"（{row.get('unit')}）" if row.get("unit") else "")
            self.fields[f"free_{index}"] = HalfWidthDecimalField(
                label=label,
                help_text=_("事業計画で定めた独自の指標です。"),
                max_digits=20,
                error_messages={
                    "required": _("%(label)s：値を数値で入力してください。") % {"label": label},
                    "invalid": _("%(label)s：数字で入力してください。") % {"label": label},
                },
            )
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())

    def filing(self) -> Filing:
        c = self.cleaned_data
        return Filing(
            kpi.Figures(
                c["sales_yen"],
                c["operating_profit_yen"],
                c["personnel_costs_yen"],
                c["depreciation_yen"],
                c["employees"],
            ),
            [c.get(f"free_{i}") for i in range(self.free_count)],
        )
