"""The applicant's and advisor's pages of the application. Thin: fetch and authorise with
`get_application_for` (404 for missing and forbidden alike), call a service, redirect. Refusals
from services show their reason; bad input keeps the typed values."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.accounts.models import User
from dxgrant.integrity.middleware import client_ip
from dxgrant.support import policies as support_policies
from dxgrant.support.models import Engagement, EngagementStatus

from . import completeness, declarations, disclosure, profile, selectors, services, submission, workflow
from .forms import (
    FEE_TIMINGS,
    DeclarationsForm,
    DisclosureConfirmForm,
    DisclosureForm,
    ProfileForm,
    SubmitForm,
    WithdrawForm,
)
from .models import Application, ApplicationVersion
from .policies import (
    applications_visible_to,
    can_act_as_applicant,
    can_edit_content,
    can_fire,
    get_application_for,
    is_applicant,
    is_firm_advisor,
)
from .snapshot import build_snapshot
from .snapshot import digest as snapshot_digest


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _get(request: HttpRequest, pk: int) -> Application:
    return get_application_for(
        _user(request), pk, Application.objects.select_related("round", "firm", "engagement")
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications this person works on (applicant's company or advisor's firm)."""
    applications = (
        applications_visible_to(_user(request)).select_related("round", "firm").order_by("-id")[:50]
    )
    return render(request, "applications/list.html", {"applications": applications})


@login_required
@require_POST
def from_engagement(request: HttpRequest, engagement_pk: int) -> HttpResponse:
    """Create (or, once created, open) the application of an engagement: the button on the
    support pages. Creating is idempotent, so pressing it twice makes one application."""
    user = _user(request)
    engagement = Engagement.objects.select_related("round", "firm").filter(pk=engagement_pk).first()
    if engagement is None:
        raise Http404("engagement")
    member = support_policies.member_of(user, engagement) is not None
    advisor = not member and support_policies.is_firm_advisor(user, engagement)
    existing = Application.objects.filter(engagement=engagement).only("pk").first()
    if not member and not advisor:
        if existing is None or not support_policies.is_staff_reader(user):
            raise Http404("engagement")
    if existing is None:
        if advisor:
            allowed, reason = support_policies.can_manage_engagement(user, engagement)
            if not allowed:
                raise PermissionDenied(reason)
            if engagement.status != EngagementStatus.ACTIVE:
                # The company's acceptance is what takes its one place in the round.
                messages.error(request, _("代表者が招待を承諾すると、申請書を作成できます。"))
                return redirect("support:engagement_detail", pk=engagement.pk)
        try:
            existing = services.ensure_application(engagement=engagement, actor=user)
        except services.DuplicateApplication as exc:
            services.record_refusal(exc)
            messages.error(request, " ".join(exc.messages))
            home = "support:my_engagement" if member else "support:engagement_detail"
            return redirect(home, pk=engagement.pk)
    return redirect("applications:detail", pk=existing.pk)


def _task_context(user: User, application: Application) -> dict[str, Any]:
    sections = completeness.sections(application)
    may_ready, ready_reason = can_fire(user, application, "mark_ready")
    return {
        "application": application,
        "sections": sections,
        "done": sum(1 for s in sections if s.status == completeness.COMPLETED),
        "eligibility": completeness.eligibility(application),
        "eligibility_missing": completeness.eligibility_missing(application),
        "problems": completeness.readiness_problems(application, sections),
        "is_applicant": is_applicant(user, application),
        "is_advisor": is_firm_advisor(user, application),
        "may_edit": can_edit_content(user, application)[0],
        "may_ready": may_ready,
        "ready_reason": ready_reason,
        "may_submit": can_fire(user, application, "submit")[0],
        "may_reopen": can_fire(user, application, "reopen")[0],
        "may_withdraw": can_fire(user, application, "withdraw")[0],
        "status_label": workflow.STATES.get(application.status, application.status),
        "versions": list(application.versions.order_by("number").only("number", "submitted_at")),
        "open_return": selectors.open_return(application),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The task list (申請の作成状況): each section with its status and what is left."""
    application = _get(request, pk)
    return render(request, "applications/detail.html", _task_context(_user(request), application))


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Company profile. Autosave (htmx) and "save and return" both go through update_profile with
    the revision the form was opened at; a stale save is refused and the typed values stay."""
    user = _user(request)
    application = _get(request, pk)
    may_edit, reason = can_edit_content(user, application)
    form = ProfileForm(request.POST or None, instance=application)
    if not may_edit:  # read-only for staff and once submitted
        for field in form.fields.values():
            field.disabled = True
    saved_at = None
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(reason)
        if form.is_valid():
            try:
                saved = profile.update_profile(
                    application=application,
                    actor=user,
                    data=form.profile_data(),
                    revision=form.cleaned_data["revision"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 409 if isinstance(exc, profile.EditConflict) else 400
            else:
                if _is_htmx(request):
                    return render(
                        request,
                        "applications/_saved.html",
                        {"saved_at": timezone.localtime(), "revision": saved.profile_revision},
                    )
                messages.success(request, _("会社概要を保存しました。"))
                if "return" in request.POST:
                    return redirect("applications:detail", pk=pk)
                return redirect("applications:profile", pk=pk)
        else:
            status = 400
        if _is_htmx(request):
            # 200 so htmx swaps the message in (it ignores the body of 4xx answers).
            return render(request, "applications/_saved.html", {"form": form})
    context = {
        "application": application,
        "form": form,
        "may_edit": may_edit,
        "reason": reason,
        "saved_at": saved_at,
        "eligibility": completeness.eligibility(application),
        "eligibility_missing": completeness.eligibility_missing(application),
    }
    return render(request, "applications/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The advisor writes the fee and independence disclosure; the applicant reads it here and
    confirms it (disclosure_confirm)."""
    user = _user(request)
    application = _get(request, pk)
    advisor = is_firm_advisor(user, application)
    may_edit = advisor and can_edit_content(user, application)[0]
    form = DisclosureForm(request.POST or None, instance=application) if advisor else None
    status = 200
    if request.method == "POST":
        if form is None or not may_edit:
            raise PermissionDenied(_("報酬・独立性の開示は、担当の認定事業者のアドバイザーが記入します。"))
        if form.is_valid():
            try:
                disclosure.update_disclosure(
                    application=application,
                    actor=user,
                    data=form.disclosure_data(),
                    revision=form.cleaned_data["revision"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 409 if isinstance(exc, profile.EditConflict) else 400
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
        "is_applicant": is_applicant(user, application),
        "confirmed": completeness.disclosure_confirmed(application),
        "timing_label": dict(FEE_TIMINGS).get(application.fee_timing, application.fee_timing),
    }
    return render(request, "applications/disclosure.html", context, status=status)


@login_required
@require_POST
def disclosure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = _get(request, pk)
    form = DisclosureConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ページを開き直してから、もう一度確認してください。"))
        return redirect("applications:disclosure", pk=pk)
    try:
        disclosure.confirm_disclosure(
            application=application, actor=user, revision=form.cleaned_data["revision"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:disclosure", pk=pk)
    messages.success(request, _("アドバイザーの開示内容を確認しました。"))
    return redirect("applications:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def declarations_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Declarations: only the applicant may tick them; others see them read-only."""
    user = _user(request)
    application = _get(request, pk)
    current = completeness.current_declarations(application)
    accepted = {
        a.declaration_id: a for a in application.declarations.select_related("accepted_by").order_by("id")
    }
    may_declare, reason = can_act_as_applicant(user, application)
    form = DeclarationsForm(request.POST or None, declarations=current, accepted=set(accepted))
    status = 200
    if request.method == "POST":
        if not may_declare:
            raise PermissionDenied(reason)
        if form.is_valid():
            try:
                declarations.accept_declarations(
                    application=application,
                    actor=user,
                    declaration_ids=form.ticked(),
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("宣誓・同意を記録しました。"))
                return redirect("applications:detail", pk=pk)
        else:
            status = 400
    rows = [{"text": d, "acceptance": accepted.get(d.pk)} for d in current]
    context = {
        "application": application,
        "form": form,
        "rows": rows,
        "may_declare": may_declare and application.is_editable,
        "reason": reason,
    }
    return render(request, "applications/declarations.html", context, status=status)


def _full_context(application: Application, snapshot: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole application as it stands, for the check-your-answers and confirm pages."""
    snapshot = snapshot if snapshot is not None else build_snapshot(application)
    return {"full": selectors.present_snapshot(snapshot, application.round)}


@login_required
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers (入力内容の確認): everything on one page, with what is left."""
    user = _user(request)
    application = _get(request, pk)
    context = _task_context(user, application) | _full_context(application)
    return render(request, "applications/check.html", context)


@login_required
@require_POST
def mark_ready(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = _get(request, pk)
    try:
        submission.mark_ready(application=application, actor=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("applications:check", pk=pk)
    messages.success(request, _("申請者に最終確認を依頼しました。"))
    return redirect("applications:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant reviews the whole application, enters a current code from their
    authenticator app (step-up) and submits. Without an authenticator they are sent to enrol."""
    user = _user(request)
    application = _get(request, pk)
    allowed, reason = can_act_as_applicant(user, application)
    if not allowed:
        raise PermissionDenied(reason)
    if request.method == "POST":
        try:
            token: uuid.UUID | None = uuid.UUID(request.POST.get("submission_token", ""))
        except ValueError:
            token = None
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
    snapshot = build_snapshot(application)
    form = SubmitForm(request.POST or None, initial={"content_digest": snapshot_digest(snapshot)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, problem = submission.verify_totp(user=user, code=form.cleaned_data["code"])
            if not ok:
                form.add_error("code", problem)
            else:
                try:
                    submission.submit_application(
                        application=application,
                        actor=user,
                        submission_token=form.cleaned_data["submission_token"],
                        ip_address=client_ip(request),
                        seen_digest=form.cleaned_data["content_digest"],
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                    if exc.code == "changed_since_seen":
                        # Show the current content, with the fingerprint to match it.
                        data = request.POST.copy()
                        data["content_digest"] = snapshot_digest(snapshot)
                        form.data = data
                else:
                    messages.success(request, _("申請を提出しました。"))
                    return redirect("applications:receipt", pk=pk)
        status = 400
    context = _task_context(user, application) | _full_context(application, snapshot) | {"form": form}
    return render(request, "applications/confirm.html", context, status=status)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to editing from awaiting the applicant's confirmation (修正に戻す)."""
    user = _user(request)
    application = _get(request, pk)
    allowed, reason = can_fire(user, application, "reopen")
    if not allowed:
        if application.status != workflow.AWAITING_CONFIRMATION:  # e.g. a second click
            messages.error(request, reason)
            return redirect("applications:detail", pk=pk)
        raise PermissionDenied(reason)
    submission.reopen(application=application, actor=user)
    messages.success(
        request, _("申請を作成中に戻しました。修正が終わったら、アドバイザーがもう一度確認を依頼します。")
    )
    return redirect("applications:detail", pk=pk)


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    versions = list(application.versions.order_by("-number").select_related("submitted_by"))
    if not versions:
        raise Http404("no submission")
    return render(request, "applications/receipt.html", {"application": application, "versions": versions})


@login_required
def receipt_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    application = _get(request, pk)
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404("version")
    version.application = application
    response = HttpResponse(submission.receipt_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{application.receipt_number}-{number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawal (取下げ), with a confirmation step. The applicant's own act."""
    user = _user(request)
    application = _get(request, pk)
    allowed, reason = can_fire(user, application, "withdraw")
    if not allowed:
        raise PermissionDenied(reason)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission.withdraw_application(
            application=application, actor=user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("申請を取り下げました。"))
        return redirect("applications:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "applications/withdraw.html", {"application": application, "form": form}, status=status
    )
