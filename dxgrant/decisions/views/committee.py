"""/staff/decisions/: the rounds, each round's committee page (ranking, "what if" budget,
decision, publication) and its budget. The secretariat only: auditors read the aggregation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.models import User
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires
from dxgrant.programs.models import Round

from .. import figures, policies, selectors
from ..forms import BudgetForm, WhatIfForm
from ..models import RoundDecision
from ..services import budget, deciding, publishing

secretariat = requires(policies.can_run_committee)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
@secretariat
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(Round.objects.select_related("decision").order_by("-application_opens", "code"))
    return render(request, "decisions/rounds.html", {"rounds": rounds})


@require_GET
@secretariat
def committee(request: HttpRequest, code: str) -> HttpResponse:
    """Before the decision: the live ranking, with a "what if" budget. Once decided: the
    decision as recorded, read-only (a "what if" is not offered and is ignored)."""
    round_obj = selectors.get_round_for_staff(request.user, code)
    decision = selectors.round_decision(round_obj)
    if decision is not None:
        context = {
            "round": round_obj,
            "page": selectors.DecidedCommittee(round_obj, decision),
            "decision": decision,
            "awarded": figures.AWARDED,
        }
        return render(request, "decisions/committee_decided.html", context)
    form = WhatIfForm(request.GET or None)
    what_if = form.cleaned_data["budget"] if form.is_bound and form.is_valid() else None
    page = selectors.Committee(round_obj, budget_yen=what_if)
    context = {
        "round": round_obj,
        "page": page,
        "decision": None,
        "form": form,
        "what_if": what_if,
        "awarded": figures.AWARDED,
    }
    return render(
        request,
        "decisions/committee.html",
        context,
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


@require_http_methods(["GET", "POST"])
@secretariat
def edit_budget(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    form = BudgetForm(request.POST or None, initial={"budget_yen": round_obj.budget_yen})
    if request.method == "POST" and form.is_valid():
        try:
            budget.set_budget(
                actor=_user(request), round_obj=round_obj, budget_yen=form.cleaned_data["budget_yen"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("予算額を変更しました。"))
            return redirect("decisions:committee", code=round_obj.code)
    return render(
        request,
        "decisions/budget.html",
        {"round": round_obj, "form": form},
        status=form_status(request) if form.errors else 200,
    )


@require_POST
@secretariat
def decide(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    try:
        deciding.decide_round(actor=_user(request), round_obj=round_obj)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("交付決定を記録しました。公表するまで申請者とアドバイザーには見えません。")
        )
    return redirect("decisions:committee", code=round_obj.code)


@require_POST
@secretariat
def publish(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    decision = RoundDecision.objects.filter(round=round_obj).first()
    allowed = policies.can_publish(request.user, decision)
    if not allowed:
        messages.error(request, allowed.reason)
        return redirect("decisions:committee", code=round_obj.code)
    publishing.publish_round(actor=_user(request), round_obj=round_obj)
    messages.success(request, _("審査結果を公表しました。申請者とアドバイザーにメールで知らせます。"))
    return redirect("decisions:committee", code=round_obj.code)
