"""The advisor's support report form (one status and comment per milestone of the plan in
force) and the applicant's dispute form."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.support_reports import Progress, ReportContent
from .support_rules import MilestoneStatus


class SupportReportForm(forms.Form):
    # Required for filing, not for a draft: the service refuses filing without it, so the form
    # leaves it optional and marks it (`conditional` keeps _field.html from calling it 任意).
    activities = forms.CharField(
        label=_("支援内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("提出時に必須です（下書きは空欄のまま保存できます）。"),
    )
    problems = forms.CharField(label=_("課題"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_steps = forms.CharField(
        label=_("次月の予定"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, milestones: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].conditional = True  # type: ignore[attr-defined]
        self.milestones = milestones
        choices = [("", _("選択してください")), *MilestoneStatus.choices]
        for index, milestone in enumerate(milestones):
            title = milestone.get("title", "")
            self.fields[f"status_{index}"] = forms.ChoiceField(
                label=_("進捗：%(title)s") % {"title": title}, choices=choices, required=False
            )
            self.fields[f"comment_{index}"] = forms.CharField(
                label=_("コメント：%(title)s") % {"title": title}, required=False, max_length=1000
            )

    def content(self) -> ReportContent:
        data = self.cleaned_data
        progress = []
        for index in range(len(self.milestones)):
            status = data.get(f"status_{index}") or ""
            progress.append(Progress(status, data.get(f"comment_{index}") or ""))
        return ReportContent(
            activities=data.get("activities") or "",
            progress=progress,
            problems=data.get("problems") or "",
            next_steps=data.get("next_steps") or "",
        )


class DisputeForm(forms.Form):
    comment = forms.CharField(
        label=_("異議の内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("報告のどこが事実と異なるかを具体的に書いてください。"),
    )
