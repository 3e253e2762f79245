"""One application on the committee's table: its aggregation and amount sheet (secretariat and
auditors), and the committee's override of the rule's result (secretariat)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires

from .. import policies, selectors
from ..forms import MeetingForm, OverrideForm
from ..services import meetings, overrides
from .committee import _user, secretariat

reader = requires(policies.can_read_aggregation)


@require_GET
@reader
def aggregation(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    facts = selectors.application_figures(round_obj, pk)
    context = {
        "round": round_obj,
        "facts": facts,
        "criterion_rows": facts.criterion_rows(round_obj.rules.rubric),
        "reviewer_totals": [
            facts.aggregate.reviewer_totals.get(s.assignment.reviewer_id) for s in facts.scores
        ]
        if facts.aggregate
        else [],
        "reviewer_z": facts.reviewer_z(),
        "review": round_obj.rules.review,
        "rule": round_obj.rules.amount_rule,
        "may_override": policies.can_run_committee(request.user),
    }
    return render(request, "decisions/aggregation.html", context)


@require_http_methods(["GET", "POST"])
@secretariat
def override(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    facts = selectors.application_figures(round_obj, pk)
    current = facts.override
    initial = (
        {
            "forced_outcome": current.forced_outcome,
            "decided_yen": current.decided_yen,
            "reason": current.reason,
        }
        if current
        else {}
    )
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            overrides.record_override(
                actor=_user(request),
                application=facts.application,
                forced_outcome=form.cleaned_data["forced_outcome"],
                decided_yen=form.cleaned_data["decided_yen"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("審査会による変更を記録しました。"))
            return redirect("decisions:committee", code=round_obj.code)
    context = {"round": round_obj, "facts": facts, "form": form}
    return render(
        request, "decisions/override.html", context, status=form_status(request) if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@secretariat
def meeting(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.record_meeting(actor=_user(request), round_obj=round_obj, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("審査会を記録しました。"))
            return redirect("decisions:committee", code=round_obj.code)
    context = {"round": round_obj, "form": form}
    return render(
        request, "decisions/meeting.html", context, status=form_status(request) if form.errors else 200
    )
