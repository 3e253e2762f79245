"""The results report's forms: the cost lines, the outcome (KPIs and narrative), a file of
evidence, the applicant's code, and the secretariat's review with a comment per line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.applications.plan_rules import KPI_KEYS, kpi_label
from dxgrant.awards.forms import CodeField
from dxgrant.core.forms import HalfWidthCharField, YenIntegerField
from dxgrant.core.i18n import localised
from dxgrant.programs.reporting_schema import EvidenceKind

from .results_models import ResultsLine
from .services.results_reports import LineInput


class LinesForm(forms.Form):
    """Per line: the actual amount (tax excluded, full-width digits accepted), the vendor and its
    corporate number. Field names are `line-<index>-<field>`, the names the service's errors use."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, lines: Sequence[ResultsLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indexes = [line.index for line in lines]
        for line in lines:
            prefix = f"line-{line.index}-"
            self.fields[prefix + "actual_yen"] = YenIntegerField(
                label=_("%(item)s: 実績額（税抜・円）") % {"item": line.item},
                required=False,
                min_value=0,
                initial=line.actual_yen,
            )
            self.fields[prefix + "vendor_name"] = forms.CharField(
                label=_("%(item)s: 支払先") % {"item": line.item},
                required=False,
                max_length=200,
                initial=line.vendor_name,
            )
            self.fields[prefix + "vendor_corporate_number"] = HalfWidthCharField(
                label=_("%(item)s: 支払先の法人番号（13桁）") % {"item": line.item},
                required=False,
                max_length=13,
                initial=line.vendor_corporate_number,
            )

    def inputs(self) -> dict[int, LineInput]:
        data = self.cleaned_data
        return {
            i: LineInput(
                data[f"line-{i}-actual_yen"],
                data[f"line-{i}-vendor_name"],
                data[f"line-{i}-vendor_corporate_number"],
            )
            for i in self.indexes
        }


class OutcomeForm(forms.Form):
    """The KPIs reached so far, one field per KPI key of the plan in force, and the narrative."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        label=gettext_lazy("事業の成果"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("導入した仕組みで何が変わったか、計画との違いとその理由を書いてください。"),
    )

    def __init__(self, *args: Any, kpi_keys: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpi_keys = list(kpi_keys)
        for key in self.kpi_keys:
            self.fields[f"kpi-{key}"] = forms.CharField(
                label=_("指標「%(key)s」の実績") % {"key": _kpi_name(key)}, required=False, max_length=100
            )

    def kpis(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"kpi-{key}"] for key in self.kpi_keys}


def _kpi_name(key: str) -> str:
    """The plan's KPI as the plan's form names it (労働生産性), not its key."""
    if key in KPI_KEYS:
        return kpi_label(key)
    if key == "free":
        return _("計画で定めたその他の指標")
    return key


class EvidenceForm(forms.Form):
    line = forms.TypedChoiceField(label=gettext_lazy("経費"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("書類の種類"))
    dated_on = forms.DateField(
        label=gettext_lazy("書類の日付"),
        required=False,
        help_text=gettext_lazy(
            "見積書・発注書・納品書・請求書・支払証明の日付（例: 2026-05-01）。写真は不要です。"
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=gettext_lazy("ファイル"), help_text=gettext_lazy("PDF、PNG、JPEG（10MBまで）")
    )

    def __init__(
        self, *args: Any, lines: Sequence[ResultsLine], kinds: Sequence[EvidenceKind], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        line_field = self.fields["line"]
        assert isinstance(line_field, forms.TypedChoiceField)
        line_field.choices = [(line.index, line.item) for line in lines]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind.code, localised(kind, "label")) for kind in kinds]


class ConfirmForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"] = CodeField()


class ReviewForm(forms.Form):
    """Approve, or request changes with a comment on at least one line (the service checks)."""

    action = forms.ChoiceField(
        choices=[("approve", gettext_lazy("承認する")), ("request_changes", gettext_lazy("修正を依頼する"))]
    )

    def __init__(self, *args: Any, lines: Sequence[ResultsLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indexes = [line.index for line in lines]
        for line in lines:
            self.fields[f"comment-{line.index}"] = forms.CharField(
                label=_("%(item)s へのコメント") % {"item": line.item},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=line.review_comment,
            )

    def comments(self) -> dict[int, str]:
        return {i: self.cleaned_data[f"comment-{i}"] for i in self.indexes}
