"""Forms of the review: adding a reviewer, the draw, a conflict exclusion, reasons, and the
score sheet (one radio group on the round's scale and one comment per criterion)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import HalfWidthCharField, HalfWidthEmailField
from dxgrant.core.i18n import localised
from dxgrant.programs.models import Round

from .services.scores import OVERALL, comment_field, score_field


class AddReviewerForm(forms.Form):
    """An address with a reviewer account is added to the pool; any other address is invited
    (the name is then required: services/invitations.invite_reviewer)."""

    email = HalfWidthEmailField(label=_("審査員のメールアドレス"))
    name = forms.CharField(
        label=_("氏名"),
        max_length=100,
        required=False,
        help_text=_("審査員のアカウントがまだない方を招待するときに入力してください。"),
    )
    organisation = forms.CharField(label=_("所属"), max_length=200, required=False)
    organisation_corporate_number = HalfWidthCharField(
        label=_("所属先の法人番号"), max_length=20, required=False, help_text=_("13桁。わかる場合のみ。")
    )


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("シード値"),
        required=False,
        min_value=0,
        help_text=_("空欄なら無作為に決めて記録します。同じシード値と同じデータなら同じ割当てになります。"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ExcludeForm(ReasonForm):
    application = forms.IntegerField(widget=forms.HiddenInput)
    reviewer = forms.IntegerField(widget=forms.HiddenInput)


class AddByHandForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("審査員"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "---------"), *choices]  # type: ignore[attr-defined]


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("この申請について、利益相反はありますか"),
        choices=[("no", _("利益相反はない")), ("yes", _("利益相反がある"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("利益相反の有無を選んでください。")},
    )


class ScoreForm(forms.Form):
    """Every field optional here: a draft may have gaps; the submission checks completeness in
    the service (each message beside its criterion)."""

    def __init__(self, *args: Any, round_obj: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = round_obj.rules.review
        self.criteria = []
        for criterion in round_obj.rules.rubric:
            levels = {level.score: level for level in (getattr(criterion, "levels", None) or rules.levels)}
            choices = []
            for value in range(rules.scale_max, rules.scale_min - 1, -1):
                level = levels.get(value)
                choices.append(
                    (str(value), f"{value} — {localised(level, 'label')}" if level else str(value))
                )
            self.fields[score_field(criterion.code)] = forms.ChoiceField(
                label=_("%(name)s（配点 %(weight)s）")
                % {"name": localised(criterion, "name"), "weight": criterion.weight},
                help_text=localised(criterion, "description"),
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[comment_field(criterion.code)] = forms.CharField(
                label=_("%(name)s へのコメント") % {"name": localised(criterion, "name")},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=4000,
                required=False,
            )
            self.criteria.append((criterion, score_field(criterion.code), comment_field(criterion.code)))
        self.fields[OVERALL] = forms.CharField(
            label=_("総評"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000, required=False
        )
        # Required to submit, not to save a draft: not labelled optional.
        for field in self.fields.values():
            field.conditional = True  # type: ignore[attr-defined]

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[s], self[c]) for _criterion, s, c in self.criteria]

    def values(self) -> tuple[dict[str, str], dict[str, str], str]:
        data = self.cleaned_data
        scores = {criterion.code: data.get(s) or "" for criterion, s, _c in self.criteria}
        comments = {criterion.code: data.get(c) or "" for criterion, _s, c in self.criteria}
        return scores, comments, data.get(OVERALL) or ""

    @staticmethod
    def initial_from(score: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {OVERALL: score.overall_comment}
        for code, value in (score.scores or {}).items():
            initial[score_field(code)] = str(value)
        for code, text in (score.comments or {}).items():
            initial[comment_field(code)] = text
        return initial
