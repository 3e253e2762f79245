"""The advisor's fee and independence disclosure, and the applicant's confirmation of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.core.editing import refusal_status
from dxgrant.core.forms import add_errors

from .. import completeness
from ..forms.application import FEE_TIMINGS, DisclosureConfirmForm, DisclosureForm
from ..selectors import application_for_page, application_page
from ..services import disclosure
from .common import user_of


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The advisor writes the fee and independence disclosure; the applicant reads it here and
    confirms it (disclosure_confirm)."""
    page = application_page(request.user, pk)
    application = page.application
    advisor = page.side.is_advisor
    may_edit = advisor and page.may_edit.allowed
    form = DisclosureForm(request.POST or None, instance=application) if advisor else None
    status = 200
    if request.method == "POST":
        if form is None or not may_edit:
            raise PermissionDenied(disclosure.advisor_only_message())
        if form.is_valid():
            try:
                disclosure.update_disclosure(
                    application=application,
                    actor=user_of(request),
                    data=form.disclosure_data(),
                    revision=form.cleaned_data["revision"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = refusal_status(exc)
            else:
                messages.success(request, _("開示内容を保存しました。申請者の確認が必要です。"))
                if "return" in request.POST:
                    return redirect("applications:detail", pk=pk)
                return redirect("applications:disclosure", pk=pk)
        else:
            status = 400
    context = {
        "application": application,
        "form": form,
        "may_edit": may_edit,
        "is_applicant": page.side.is_applicant,
        "confirmed": completeness.disclosure_confirmed(application),
        "timing_label": dict(FEE_TIMINGS).get(application.fee_timing, application.fee_timing),
    }
    return render(request, "applications/disclosure.html", context, status=status)


@login_required
@require_POST
def disclosure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant confirms the disclosure at the revision they read (the service refuses
    anyone else)."""
    application = application_for_page(request.user, pk)
    form = DisclosureConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ページを開き直してから、もう一度確認してください。"))
        return redirect("applications:disclosure", pk=pk)
    try:
        disclosure.confirm_disclosure(
            application=application, actor=user_of(request), revision=form.cleaned_data["revision"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:disclosure", pk=pk)
    messages.success(request, _("アドバイザーの開示内容を確認しました。"))
    return redirect("applications:detail", pk=pk)
