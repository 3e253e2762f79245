"""/staff/applications/: the secretariat's list, detail, PDF, version differences, and its acts
(begin screening, return for correction). Auditors read everything and change nothing; every
other role is refused with a reason (403); anonymous visitors are sent to sign in."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.policies import can_act_as_secretariat
from dxgrant.core.forms import add_errors
from dxgrant.core.gates import requires
from dxgrant.core.pagination import keyset_page
from dxgrant.core.pdf import JapaneseFontMissing, render_pdf

from .. import selectors, workflow
from ..diff import compare_snapshots
from ..forms.staff import ApplicationFilterForm, ReturnForm
from ..models import Application, RefusedDuplicate
from ..policies import can_fire, can_use_staff_pages
from ..presentation import full_application, present_snapshot
from ..returns import return_due_on, return_sections
from ..services import screening
from .common import user_of

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
REFUSED_SHOWN = 10
staff_reader = requires(can_use_staff_pages)


def _with_industry_labels(applications: list[Application]) -> list[Application]:
    for application in applications:
        application.industry_label = selectors.industry_label(application.industry)  # type: ignore[attr-defined]
    return applications


@require_GET
@staff_reader
def application_list(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET or None)
    applications = form.apply(selectors.staff_list(request.user))
    page = keyset_page(
        applications,
        cursor=request.GET.get("before", ""),
        size=PAGE_SIZE,
        key="id",
        rows=_with_industry_labels,
    )
    refused_qs = RefusedDuplicate.objects.select_related("round", "firm", "attempted_by").order_by("-id")
    if form.is_bound and form.is_valid() and form.cleaned_data["round"]:
        refused_qs = refused_qs.filter(round=form.cleaned_data["round"])
    refused = list(refused_qs[:REFUSED_SHOWN])
    context = {
        "form": form,
        "applications": page.items,
        "next_before": page.next_cursor,
        "querystring": form.querystring(),
        "refused": refused,
        "states": workflow.STATES,
        "nav": "staff",
    }
    return render(request, "applications/staff/list.html", context)


@require_GET
@staff_reader
def firm_suggestions(request: HttpRequest) -> HttpResponse:
    """The firm field's suggestions as <option>s for its <datalist> (htmx, as people type)."""
    firms = selectors.firm_suggestions(request.GET.get("firm", "")[:100])
    return render(request, "applications/staff/_firm_suggestions.html", {"firms": firms})


@require_GET
@staff_reader
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.staff_application(request.user, pk)
    versions = list(application.versions.select_related("submitted_by").order_by("number"))
    returns = list(application.returns.select_related("returned_by", "version").order_by("-id"))
    titles = dict(return_sections(application))
    user = request.user
    context = {
        "application": application,
        "status_label": workflow.LIFECYCLE.label(application.status),
        "full": full_application(application),
        "versions": versions,
        "returns": [
            {"request": r, "comments": [(titles.get(code, code), text) for code, text in r.comments.items()]}
            for r in returns
        ],
        "documents": selectors.staff_documents(application),
        "history": selectors.audit_history(application, versions, returns),
        "may_begin_screening": can_fire(user, application, "begin_screening").allowed,
        "may_return": can_fire(user, application, "return").allowed and bool(versions),
        # The cancel form (awards/staff/_cancel.html) shows in the states the workflow's "cancel" starts from.
        "may_cancel": can_fire(user, application, "cancel").allowed,
        "nav": "staff",
    }
    return render(request, "applications/staff/detail.html", context)


@require_GET
@staff_reader
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.staff_application(request.user, pk)
    context = {
        "application": application,
        "status_label": workflow.LIFECYCLE.label(application.status),
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
    application = selectors.staff_application(request.user, pk)
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
    application = selectors.staff_application(request.user, pk)
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
    can_act_as_secretariat(request.user).require()
    application = selectors.staff_application(request.user, pk)
    decision = can_fire(request.user, application, "begin_screening")
    if not decision:
        messages.error(request, decision.reason)
        return redirect("staff_applications:detail", pk=application.pk)
    screening.begin_screening(application, actor=user_of(request))
    messages.success(request, _("形式審査を開始しました。"))
    return redirect("staff_applications:detail", pk=application.pk)


@require_http_methods(["GET", "POST"])
@staff_reader
def return_for_correction(request: HttpRequest, pk: int) -> HttpResponse:
    can_act_as_secretariat(request.user).require()
    application = selectors.staff_application(request.user, pk)
    decision = can_fire(request.user, application, "return")
    if not decision:
        messages.error(request, decision.reason)
        return redirect("staff_applications:detail", pk=application.pk)
    form = ReturnForm(request.POST or None, sections=return_sections(application))
    if request.method == "POST" and form.is_valid():
        try:
            screening.return_for_correction(application, actor=user_of(request), comments=form.comments())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("申請を差し戻しました。申請者とアドバイザーにメールで知らせます。"))
            return redirect("staff_applications:detail", pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "due_on": return_due_on(application),
        "nav": "staff",
    }
    return render(request, "applications/staff/return.html", context, status=400 if form.errors else 200)
