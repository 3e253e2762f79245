"""Forms of the survey builder, the sending form and the respondent's section form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dxgrant.applications import workflow
from dxgrant.core.i18n import localised
from dxgrant.japan import industry
from dxgrant.japan.prefectures import PREFECTURES
from dxgrant.programs.models import Round

from . import survey_rules
from .models import Survey, SurveyQuestion, SurveySection
from .selectors import AWARDEE_STATES
from .services.answering import field_name


class SurveyForm(forms.ModelForm[Survey]):
    class Meta:
        model = Survey
        fields = ["title_ja", "title_en", "description", "due_on"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SectionForm(forms.ModelForm[SurveySection]):
    class Meta:
        model = SurveySection
        fields = ["title_ja", "title_en"]


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("セクション"),
        queryset=SurveySection.objects.none(),
        error_messages={
            "required": _(
                "質問を入れるセクションを選んでください（まだなければ、先にセクションを追加してください）。"
            )
        },
    )
    kind = forms.ChoiceField(label=_("種類"), choices=list(survey_rules.KINDS.items()))
    text_ja = forms.CharField(label=_("質問（日本語）"), max_length=500)
    text_en = forms.CharField(label=_("質問（英語）"), max_length=500, required=False)
    required = forms.BooleanField(label=_("回答必須"), required=False)
    choices = forms.CharField(
        label=_("選択肢（1行に1つ）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    min_value = forms.IntegerField(label=_("最小値（数値の質問）"), required=False)
    max_value = forms.IntegerField(label=_("最大値（数値の質問）"), required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.order_by("position")  # type: ignore[attr-defined]

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class SendForm(forms.Form):
    round = forms.ModelChoiceField(label=_("公募回"), queryset=Round.objects.order_by("-id"))
    prefecture = forms.ChoiceField(
        label=_("都道府県"), required=False, choices=[("", _("すべて")), *[(p, p) for p in PREFECTURES]]
    )
    industry = forms.ChoiceField(label=_("業種"), required=False)
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("", _("交付先すべて")), *[(s, workflow.STATES[s]) for s in AWARDEE_STATES]],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("すべて")), *industry.choices(get_language()[:2])]  # type: ignore[attr-defined]
        self.fields["round"].label_from_instance = lambda r: localised(r, "name")  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "round": data["round"].pk,
            "prefecture": data["prefecture"],
            "industry": data["industry"],
            "status": data["status"],
        }


SCALE_CHOICES = [(str(n), str(n)) for n in range(survey_rules.SCALE_MIN, survey_rules.SCALE_MAX + 1)]


def _field(question: SurveyQuestion) -> forms.Field:
    label = localised(question, "text")
    common: dict[str, Any] = {"label": label, "required": False}
    if question.required:
        common["help_text"] = _("回答必須")
    if question.kind == survey_rules.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if question.kind == survey_rules.SINGLE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == survey_rules.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == survey_rules.SCALE:
        return forms.ChoiceField(choices=SCALE_CHOICES, widget=forms.RadioSelect, **common)
    limits = [v for v in (question.min_value, question.max_value) if v is not None]
    if limits:
        common["help_text"] = _("%(min)s〜%(max)sの整数") % {
            "min": question.min_value if question.min_value is not None else "",
            "max": question.max_value if question.max_value is not None else "",
        }
    return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)


class SectionAnswersForm(forms.Form):
    """One field per question of the section, the stored answers as initial values. Checking is
    the service's (survey_rules): the form only shows and keeps what was typed."""

    def __init__(
        self, *args: Any, questions: list[SurveyQuestion], answers: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            name = field_name(question)
            self.fields[name] = _field(question)
            value = answers.get(question.pk)
            if value is not None:
                self.initial[name] = [str(v) for v in value] if isinstance(value, list) else str(value)

    def raw(self) -> dict[str, Any]:
        """What was posted, per field (lists for the multiple-choice ones)."""
        result: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                result[name] = self.data.getlist(name)  # type: ignore[attr-defined]
            else:
                result[name] = self.data.get(name, "")
        return result
