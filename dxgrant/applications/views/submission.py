"""Getting the application to the secretariat: the advisor asks the applicant to confirm, the
applicant reviews everything and submits with a code from their authenticator (step-up), or
takes it back to editing, or withdraws it; the receipt (受付票) of each submitted version."""

from __future__ import annotations

import uuid

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.core.forms import add_errors, form_status
from dxgrant.integrity.middleware import client_ip

from .. import workflow
from ..forms.application import SubmitForm, WithdrawForm
from ..models import ApplicationVersion
from ..selectors import application_for_page, application_page
from ..selectors import receipt_pdf as render_receipt
from ..services import submission
from .common import user_of


@login_required
@require_POST
def mark_ready(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_page(request.user, pk)
    try:
        submission.mark_ready(application=application, actor=user_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("applications:check", pk=pk)
    messages.success(request, _("申請者に最終確認を依頼しました。"))
    return redirect("applications:detail", pk=pk)


def _submission_token(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant reviews the whole application, enters a current code from their
    authenticator app (step-up) and submits. Without an authenticator they are sent to enrol.

    The page's facts (task list, snapshot and its fingerprint) are built once and handed to the
    submission, which reuses them while they still describe the application."""
    user = user_of(request)
    page = application_page(user, pk)
    application = page.application
    page.may_act_as_applicant.require()
    if request.method == "POST":
        token = _submission_token(request)
        done = (
            ApplicationVersion.objects.filter(application=application, submission_token=token).first()
            if token is not None
            else None
        )
        if done is not None:  # a double click or a retried request after success
            return redirect("applications:receipt", pk=pk)
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if not has_totp:
        return render(
            request,
            "applications/confirm_enrol.html",
            {"application": application, "enrol_url": reverse("mfa_activate_totp")},
        )
    posted = request.POST or None
    # The fingerprint of what the page shows goes with a new form; a posted one carries its own.
    form = SubmitForm(posted, initial={} if posted else {"content_digest": page.digest})
    if request.method == "POST":
        if form.is_valid():
            code_ok = submission.verify_totp(
                user=user,
                code=form.cleaned_data["code"],
                application=application,
                ip_address=client_ip(request),
            )
            if not code_ok:
                form.add_error("code", code_ok.reason)
            else:
                try:
                    submission.submit_application(
                        application=application,
                        actor=user,
                        submission_token=form.cleaned_data["submission_token"],
                        ip_address=client_ip(request),
                        seen_digest=form.cleaned_data["content_digest"],
                        confirmed=page,
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                    if getattr(exc, "code", None) == "changed_since_seen":
                        # Show the current content, with the fingerprint to match it.
                        data = request.POST.copy()
                        data["content_digest"] = page.digest
                        form.data = data
                else:
                    messages.success(request, _("申請を提出しました。"))
                    return redirect("applications:receipt", pk=pk)
    context = page.full_context() | {"form": form}
    return render(request, "applications/confirm.html", context, status=form_status(request))


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to editing from awaiting the applicant's confirmation (修正に戻す)."""
    page = application_page(request.user, pk)
    decision = page.may_fire("reopen")
    if not decision:
        if page.application.status != workflow.AWAITING_CONFIRMATION:  # e.g. a second click
            messages.error(request, decision.reason)
            return redirect("applications:detail", pk=pk)
        decision.require()
    submission.reopen(application=page.application, actor=user_of(request))
    messages.success(
        request, _("申請を作成中に戻しました。修正が終わったら、アドバイザーがもう一度確認を依頼します。")
    )
    return redirect("applications:detail", pk=pk)


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for_page(request.user, pk)
    versions = list(application.versions.order_by("-number").select_related("submitted_by"))
    if not versions:
        raise Http404("no submission")
    return render(request, "applications/receipt.html", {"application": application, "versions": versions})


@login_required
def receipt_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    application = application_for_page(request.user, pk)
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404("version")
    version.application = application
    response = HttpResponse(render_receipt(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{application.receipt_number}-{number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawal (取下げ), with a confirmation step. The applicant's own act."""
    page = application_page(request.user, pk)
    page.may_fire("withdraw").require()
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission.withdraw_application(
            application=page.application, actor=user_of(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("申請を取り下げました。"))
        return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/withdraw.html",
        {"application": page.application, "form": form},
        status=form_status(request),
    )
