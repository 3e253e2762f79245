"""/staff/applications/: the secretariat's list, detail, PDF, version differences, and its acts
(begin screening, return for correction). Auditors read everything and change nothing; every
other role is refused with a reason (403); anonymous visitors are sent to sign in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.models import Role
from dxgrant.advisors.policies import STAFF_READERS
from dxgrant.core.i18n import localised
from dxgrant.core.pdf import JapaneseFontMissing, render_pdf
from dxgrant.integrity.models import AuditEntry
from dxgrant.japan import industry as jsic

from . import staff, workflow
from .diff import compare_snapshots
from .models import Application, ApplicationDocument, ApplicationVersion, RefusedDuplicate, ReturnRequest
from .policies import applications_visible_to, can_fire, get_application_for
from .selectors import full_application, present_snapshot
from .staff_forms import ApplicationFilterForm, ReturnForm

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
REFUSED_SHOWN = 10

View = Callable[..., HttpResponse]


def staff_reader(view: View) -> View:
    """Secretariat and auditors only: anonymous → sign in; any other role → 403 with the reason."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
        if getattr(user, "role", None) not in STAFF_READERS:
            raise PermissionDenied(_("申請の管理画面は、事務局と監査担当者のみが利用できます。"))
        return view(request, *args, **kwargs)

    return wrapper


def _require_secretariat(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) != Role.SECRETARIAT:
        raise PermissionDenied(_("この操作は事務局のみが行えます（監査担当者は閲覧のみです）。"))


def _application(request: HttpRequest, pk: int) -> Application:
    """The application with what every staff page shows; 404 when missing."""
    return get_application_for(
        request.user,
        pk,
        Application.objects.select_related("round", "firm", "engagement__lead_advisor"),
    )


@require_GET
@staff_reader
def application_list(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET or None)
    applications = (
        applications_visible_to(request.user)
        .select_related("round", "firm")
        .only(
            "id",
            "status",
            "company_name",
            "company_name_kana",
            "corporate_number",
            "receipt_number",
            "prefecture",
            "industry",
            "employees",
            "submitted_at",
            "round__code",
            "round__name_ja",
            "round__name_en",
            "firm__name",
        )
        .order_by("-id")
    )
    applications = form.apply(applications)
    # Keyset pagination by id: page 300 costs what page 1 does (no OFFSET).
    before = request.GET.get("before", "")
    if before.isdigit():
        applications = applications.filter(id__lt=int(before))
    page = list(applications[: PAGE_SIZE + 1])
    has_more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    for application in page:
        application.industry_label = _industry(application.industry)  # type: ignore[attr-defined]
    refused_qs = RefusedDuplicate.objects.select_related("round", "firm", "attempted_by").order_by("-id")
    if form.is_bound and form.is_valid() and form.cleaned_data["round"]:
        refused_qs = refused_qs.filter(round=form.cleaned_data["round"])
    refused = list(refused_qs[:REFUSED_SHOWN])
    context = {
        "form": form,
        "applications": page,
        "next_before": page[-1].pk if has_more and page else None,
        "querystring": form.querystring(),
        "refused": refused,
        "states": workflow.STATES,
        "nav": "staff",
    }
    return render(request, "applications/staff/list.html", context)


def _industry(code: str) -> str:
    try:
        return jsic.name(code, (get_language() or "ja")[:2]) if code else ""
    except ValueError:
        return code


def _action_label(action: str) -> str:
    """A person's words for an audit action; the raw action stays visible beside it."""
    name = action.removeprefix("application.")
    if name in workflow.TRANSITIONS:
        return str(workflow.TRANSITIONS[name].label)
    known = {
        "application.created": _("申請を作成"),
        "application.return_requested": _("差戻しの内容を記録"),
        "application.return_notified": _("差戻しをメールで通知"),
    }
    return str(known.get(action, ""))


def _audit_history(
    application: Application, versions: list[ApplicationVersion], returns: list[ReturnRequest]
) -> list[AuditEntry]:
    """Audit entries of the application, its versions and its return requests, newest first."""
    entries = list(
        AuditEntry.objects.filter(
            Q(object_type="applications.application", object_id=str(application.pk))
            | Q(object_type="applications.applicationversion", object_id__in=[str(v.pk) for v in versions])
            | Q(object_type="applications.returnrequest", object_id__in=[str(r.pk) for r in returns])
        ).order_by("-seq")
    )
    for entry in entries:
        entry.label = _action_label(entry.action)  # type: ignore[attr-defined]
    return entries


def _document_link(application: Application, document: ApplicationDocument) -> str:
    try:
        return reverse("applications:document_download", args=[application.pk, document.pk])
    except NoReverseMatch:  # the download page is another part's; the list still shows the file
        return ""


@require_GET
@staff_reader
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    versions = list(application.versions.select_related("submitted_by").order_by("number"))
    returns = list(application.returns.select_related("returned_by", "version").order_by("-id"))
    doc_names = {str(d.get("code")): localised(d, "name") for d in application.round.documents or []}
    documents = [
        {"document": d, "label": doc_names.get(d.code, d.code), "link": _document_link(application, d)}
        for d in application.documents.select_related("budget_line", "uploaded_by").order_by("code", "id")
    ]
    titles = dict(staff.return_sections(application))
    user = request.user
    context = {
        "application": application,
        "status_label": workflow.STATES.get(application.status, application.status),
        "full": full_application(application),
        "versions": versions,
        "returns": [
            {"request": r, "comments": [(titles.get(code, code), text) for code, text in r.comments.items()]}
            for r in returns
        ],
        "documents": documents,
        "history": _audit_history(application, versions, returns),
        "may_begin_screening": can_fire(user, application, "begin_screening")[0],
        "may_return": can_fire(user, application, "return")[0] and bool(versions),
        "nav": "staff",
    }
    return render(request, "applications/staff/detail.html", context)


@require_GET
@staff_reader
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    context = {
        "application": application,
        "status_label": workflow.STATES.get(application.status, application.status),
        "full": full_application(application),
    }
    try:
        pdf = render_pdf("applications/pdf/application.html", context)
    except JapaneseFontMissing as exc:
        logger.error("application PDF for %s not generated: %s", application.pk, exc)
        return render(request, "applications/staff/pdf_unavailable.html", {"message": str(exc)}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = application.receipt_number or f"application-{application.pk}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _version_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
@staff_reader
def application_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """?a=1&b=2 compares version 1 with version 2; without them, the last two versions."""
    application = _application(request, pk)
    versions = list(application.versions.order_by("number"))
    by_number = {v.number: v for v in versions}
    a_number = _version_number(request.GET.get("a"))
    b_number = _version_number(request.GET.get("b"))
    if a_number is None and b_number is None and len(versions) >= 2:
        a_number, b_number = versions[-2].number, versions[-1].number
    old, new = by_number.get(a_number or -1), by_number.get(b_number or -1)
    comparison = None
    error = ""
    if old is not None and new is not None:
        comparison = compare_snapshots(old.snapshot, new.snapshot, application.round)
    elif len(versions) < 2:
        error = _("比較できる版が二つ以上ありません。")
    else:
        error = _("指定された版が見つかりません。比較する版を選んでください。")
    context = {
        "application": application,
        "versions": versions,
        "old": old,
        "new": new,
        "comparison": comparison,
        "error": error,
        "nav": "staff",
    }
    return render(request, "applications/staff/diff.html", context)


@require_GET
@staff_reader
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One submitted version exactly as it was filed."""
    application = _application(request, pk)
    version = application.versions.select_related("submitted_by").filter(number=number).first()
    if version is None:
        raise Http404("version")
    context = {
        "application": application,
        "version": version,
        "full": present_snapshot(version.snapshot, application.round),
        "nav": "staff",
    }
    return render(request, "applications/staff/version.html", context)


@require_POST
@staff_reader
def begin_screening(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretariat(request)
    application = _application(request, pk)
    allowed, reason = can_fire(request.user, application, "begin_screening")
    if not allowed:
        messages.error(request, reason)
        return redirect("staff_applications:detail", pk=application.pk)
    staff.begin_screening(application, actor=request.user)
    messages.success(request, _("形式審査を開始しました。"))
    return redirect("staff_applications:detail", pk=application.pk)


@require_http_methods(["GET", "POST"])
@staff_reader
def return_for_correction(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretariat(request)
    application = _application(request, pk)
    allowed, reason = can_fire(request.user, application, "return")
    if not allowed:
        messages.error(request, reason)
        return redirect("staff_applications:detail", pk=application.pk)
    sections = staff.return_sections(application)
    form = ReturnForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            staff.return_for_correction(application, actor=request.user, comments=form.comments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("申請を差し戻しました。申請者とアドバイザーにメールで知らせます。"))
            return redirect("staff_applications:detail", pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "due_on": staff.return_due_on(application),
        "nav": "staff",
    }
    return render(request, "applications/staff/return.html", context, status=400 if form.errors else 200)
