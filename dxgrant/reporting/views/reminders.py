"""/staff/reminders/: what the reminder engine sent (newest first, 50 a page, filtered by kind and
audience), the open items due in the next 14 days by kind, and the last and next daily runs on
the worker. Read-only, for the staff readers (the secretariat and the auditor)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.core.gates import requires
from dxgrant.core.pagination import keyset_page

from .. import reminder_selectors as selectors
from ..models import ReminderAudience, ReminderSource

PAGE_SIZE = 50


class ReminderFilter(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("種類"),
        required=False,
        choices=[("", gettext_lazy("すべて")), *ReminderSource.choices],
        error_messages={
            "invalid_choice": gettext_lazy(
                "種類：選ばれた種類はありません。一覧から種類を選ぶか、「すべて」を選んでください。"
            )
        },
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("宛先"),
        required=False,
        choices=[("", gettext_lazy("すべて")), *ReminderAudience.choices],
        error_messages={
            "invalid_choice": gettext_lazy(
                "宛先：選ばれた宛先はありません。一覧から宛先を選ぶか、「すべて」を選んでください。"
            )
        },
    )

    def chosen(self) -> tuple[str, str]:
        """(kind, audience) asked for; a choice not in the list filters nothing (the form says why)."""
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["kind"], self.cleaned_data["audience"]


@requires(can_read_as_staff)
@require_GET
def reminder_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReminderFilter(request.GET)
    kind, audience = form.chosen()
    page = keyset_page(
        selectors.sent_reminders(kind, audience),
        cursor=request.GET.get("before"),
        size=PAGE_SIZE,
        rows=selectors.sent_rows,
    )
    query = "&".join(f"{name}={value}" for name, value in (("kind", kind), ("audience", audience)) if value)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "due": selectors.due_soon(today),
        "due_days": selectors.DUE_SOON_DAYS,
        "runs": selectors.runs(today),
    }
    return render(request, "reporting/reminders/list.html", context, status=200 if form.is_valid() else 400)
