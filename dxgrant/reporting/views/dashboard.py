"""/staff/dashboard/: the programme at a glance for the association's staff (the secretariat,
finance and the auditor; read-only for all). Charts drawn on the server as SVG, each followed
by its numbers in a table. `?round=<code>` narrows it to one round (default: every round)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from dxgrant.accounts.policies import can_read_programme_figures
from dxgrant.core.gates import requires
from dxgrant.core.i18n import current_language, localised
from dxgrant.japan import industry
from dxgrant.japan.prefectures import prefecture_name
from dxgrant.programs.models import Round

from .. import dashboard as figures
from .. import sources
from ..charts import Bar, bar_chart, yen_compact
from ..services import figures as stored


class RoundFilter(forms.Form):
    round = forms.ChoiceField(
        label=gettext_lazy("公募回"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "公募回：選ばれた公募回は見つかりません。一覧から公募回を選ぶか、「すべての公募回」を選んでください。"
            )
        },
    )

    def __init__(self, data: dict[str, str] | None, rounds: list[Round]) -> None:
        super().__init__(data)
        self.rounds = {r.code: r for r in rounds}
        field = self.fields["round"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("すべての公募回"))] + [
            (r.code, localised(r, "name") + (_("（デモ）") if r.is_demo else "")) for r in rounds
        ]

    def chosen(self) -> Round | None:
        """The round asked for; None for every round, and for a choice that is not in the list
        (the form shows why)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.rounds.get(self.cleaned_data["round"] or "")


@dataclass(frozen=True)
class Row:
    label: str
    count: int | None
    amount: str
    # Further cells, after the amount (their headers end the chart's columns).
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: SafeString
    columns: tuple[str, ...]
    rows: list[Row]


def _group_label(key: str, kind: str, language: str) -> str:
    if key == figures.OTHER:
        return _("その他")
    if key == figures.UNKNOWN:
        return _("未記入")
    if kind == "industry":
        try:
            return f"{key} {industry.name(key, language)}"
        except ValueError:
            return key
    return prefecture_name(key, language)


def _groups_chart(key: str, title: str, groups: list[figures.Group], kind: str, language: str) -> Chart:
    rows = [
        Row(_group_label(g.key, kind, language), g.count, yen_compact(g.amount_yen, language)) for g in groups
    ]
    bars = [
        Bar(row.label, g.count, ngettext("採択%(n)s件", "採択%(n)s件", g.count) % {"n": f"{g.count:,}"})
        for row, g in zip(rows, groups, strict=True)
    ]
    return Chart(
        key,
        title,
        bar_chart(bars, title=title, empty_message=_("採択された申請はまだありません。"), key=key),
        (_("区分"), _("採択件数"), _("交付決定額")),
        rows,
    )


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+}%"


def _due_chart(page: figures.Dashboard) -> Chart:
    title = _("報告・手続の期限（期限超過と%(days)s日以内）") % {"days": figures.DUE_SOON_DAYS}
    rows = [
        Row(str(sources.SOURCES[d.source].label), d.overdue, f"{d.due_soon:,}", (f"{d.later:,}",))
        for d in page.due
        if d.source in sources.SOURCES
    ]
    bars = [
        Bar(
            row.label,
            d.overdue,
            ngettext("期限超過%(n)s件", "期限超過%(n)s件", d.overdue) % {"n": f"{d.overdue:,}"},
        )
        for row, d in zip(rows, page.due, strict=False)
    ]
    return Chart(
        "due",
        title,
        bar_chart(bars, title=title, empty_message=_("期限を過ぎた報告・手続はありません。"), key="due"),
        (
            _("種類"),
            _("期限超過（件）"),
            _("%(days)s日以内（件）") % {"days": figures.DUE_SOON_DAYS},
            _("それ以降（件）"),
        ),
        rows,
    )


def _kpi_chart(page: figures.Dashboard) -> Chart:
    title = _("効果検証：労働生産性の目標を達成した事業者の割合（年度別）")
    years = [y for y in page.kpi_years if y.year > 0]
    rows = [
        Row(
            _("%(n)s年目") % {"n": y.year},
            y.filed,
            f"{y.overdue:,}",
            (
                "—" if y.share_met is None else f"{y.share_met}%（{y.met}/{y.with_target}）",
                _percent(y.median),
                f"{_percent(y.lower_quartile)} 〜 {_percent(y.upper_quartile)}",
            ),
        )
        for y in years
    ]
    bars = [
        Bar(row.label, int(y.share_met or 0), "—" if y.share_met is None else f"{y.share_met}%")
        for row, y in zip(rows, years, strict=True)
    ]
    return Chart(
        "kpi",
        title,
        bar_chart(bars, title=title, empty_message=_("効果検証の報告はまだありません。"), key="kpi"),
        (
            _("年度"),
            _("提出（社）"),
            _("期限超過（社）"),
            _("目標を達成した割合"),
            _("労働生産性の変化（中央値）"),
            _("変化の四分位（25%〜75%）"),
        ),
        rows,
    )


def charts(page: figures.Dashboard, language: str) -> list[Chart]:
    funnel_title = _("申請の状況（提出から交付まで）")
    funnel_bars = [
        Bar(s.label, s.count, ngettext("申請%(n)s件", "申請%(n)s件", s.count) % {"n": f"{s.count:,}"})
        for s in page.funnel
    ]
    budget = page.budget
    budget_title = _("予算と交付決定額・交付済額")
    budget_rows = [
        Row(_("予算額"), None, yen_compact(budget.budget_yen, language)),
        Row(_("交付決定額"), None, yen_compact(budget.decided_yen, language)),
        Row(_("交付済額"), None, yen_compact(budget.paid_yen, language)),
    ]
    budget_values = (budget.budget_yen, budget.decided_yen, budget.paid_yen)
    return [
        Chart(
            "funnel",
            funnel_title,
            bar_chart(
                funnel_bars,
                title=funnel_title,
                empty_message=_("提出された申請はまだありません。"),
                centred=True,
                key="funnel",
            ),
            (_("段階"), _("申請件数"), ""),
            [Row(s.label, s.count, "") for s in page.funnel],
        ),
        Chart(
            "budget",
            budget_title,
            bar_chart(
                [
                    Bar(row.label, value, row.amount)
                    for row, value in zip(budget_rows, budget_values, strict=True)
                ],
                title=budget_title,
                empty_message=_("予算の登録された公募回がありません。"),
                key="budget",
            ),
            (_("区分"), "", _("金額")),
            budget_rows,
        ),
        _groups_chart(
            "prefectures",
            _("都道府県別の採択（上位%(n)s、ほかは「その他」）") % {"n": figures.TOP_PREFECTURES},
            page.prefectures,
            "prefecture",
            language,
        ),
        _groups_chart(
            "industries", _("業種別の採択（日本標準産業分類・大分類）"), page.industries, "industry", language
        ),
        _due_chart(page),
        _kpi_chart(page),
    ]


@require_GET
@requires(can_read_programme_figures)
def dashboard(request: HttpRequest) -> HttpResponse:
    rounds = figures.rounds()
    form = RoundFilter(request.GET if "round" in request.GET else None, rounds)
    page = stored.figures(form.chosen(), rounds)
    context = {
        "form": form,
        "page": page,
        "charts": charts(page, current_language()),
        "max_age_minutes": max(1, settings.DXGRANT_DASHBOARD_MAX_AGE_SECONDS // 60),
    }
    return render(request, "reporting/dashboard.html", context)
