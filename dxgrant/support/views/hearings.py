"""Hearing records: the advisor writes and corrects them, the applicant answers them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.core.forms import add_errors, form_status

from .. import policies, selectors
from ..forms import HearingForm, HearingResponseForm
from ..models import HearingRecord
from ..services import hearings
from .common import engagement_home, signed_in_user


def _hearing_content(data: dict[str, Any]) -> dict[str, Any]:
    """What a hearing record says, as typed: the same for a new record and an edit."""
    return {
        "held_on": data["held_on"],
        "attendees": data["attendees"],
        "topics": data["topics"],
        "challenges": data["challenges"],
        "next_steps": data["next_steps"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def hearing_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    policies.can_manage_engagement(user, engagement).require()
    corrects: HearingRecord | None = None
    corrects_id = request.POST.get("corrects") or request.GET.get("corrects")
    if corrects_id and str(corrects_id).isdigit():
        corrects = engagement.hearings.select_related("correction").filter(pk=int(corrects_id)).first()
        if corrects is None:
            raise Http404
        policies.can_correct_hearing(user, corrects).require()
    form = HearingForm(request.POST or None, instance=corrects if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = hearings.record_hearing(
                actor=user,
                engagement=engagement,
                **_hearing_content(data),
                corrects=corrects,
                submission_token=data["submission_token"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("ヒアリング記録を保存し、申請者に確認を依頼しました。"))
            return redirect("support:hearing_detail", pk=hearing.pk)
    context = {"engagement": engagement, "form": form, "corrects": corrects, "editing": False}
    return render(request, "support/hearing_form.html", context, status=form_status(request))


@login_required
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    hearing = selectors.get_hearing_for(user, pk)
    may_respond = policies.can_respond_to_hearing(user, hearing).allowed
    context = {
        "hearing": hearing,
        "engagement": hearing.engagement,
        "may_respond": may_respond,
        "may_edit": policies.can_edit_hearing(user, hearing).allowed,
        "may_correct": policies.can_correct_hearing(user, hearing).allowed,
        "response_form": HearingResponseForm(initial={"revision": hearing.revision}) if may_respond else None,
        "home": engagement_home(user, hearing.engagement),
    }
    return render(request, "support/hearing_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    hearing = selectors.get_hearing_for(user, pk)
    policies.can_edit_hearing(user, hearing).require()
    form = HearingForm(request.POST or None, instance=hearing if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearings.edit_hearing(
                actor=user,
                hearing=hearing,
                revision=data["revision"] or 0,
                **_hearing_content(data),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("ヒアリング記録を更新しました。"))
            return redirect("support:hearing_detail", pk=hearing.pk)
    context = {"engagement": hearing.engagement, "hearing": hearing, "form": form, "editing": True}
    return render(request, "support/hearing_form.html", context, status=form_status(request))


@login_required
@require_POST
def hearing_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's own answer to a hearing record: acknowledge, or dispute with a comment."""
    user = signed_in_user(request)
    hearing = selectors.get_hearing_for(user, pk)
    form = HearingResponseForm(request.POST)
    if form.is_valid():
        try:
            hearings.respond_to_hearing(
                actor=user,
                hearing=hearing,
                revision=form.cleaned_data["revision"],
                response=form.cleaned_data["response"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("回答を送りました。アドバイザーに伝わります。"))
            return redirect("support:hearing_detail", pk=hearing.pk)
    else:
        # The form is only shown to those who may answer; anyone else posting is refused plainly.
        policies.can_respond_to_hearing(user, hearing).require()
    context = {
        "hearing": hearing,
        "engagement": hearing.engagement,
        "may_respond": True,
        "response_form": form,
        "home": engagement_home(user, hearing.engagement),
    }
    return render(request, "support/hearing_detail.html", context, status=400)
