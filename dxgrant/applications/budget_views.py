"""The budget pages: lines with computed amounts and totals, quotations per line."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import budget
from .documents import format_names, max_upload_bytes, quote_spec
from .models import Application, ApplicationDocument, BudgetLine
from .plan_forms import BudgetLineForm, QuoteUploadForm
from .plan_views import _add_errors, application_for, edit_decision


def _render_budget(
    request: HttpRequest,
    application: Application,
    *,
    quote_form: QuoteUploadForm | None = None,
    quote_line: int | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = list(
        application.budget_lines.prefetch_related(
            Prefetch("quotes", queryset=ApplicationDocument.objects.order_by("id"))
        )
    )
    categories = dict(budget.category_choices(application.round))
    rows = []
    for line in lines:
        quotes = list(line.quotes.all())
        needed = budget.quotes_required(application.round, line)
        line.quote_count = len(quotes)  # type: ignore[attr-defined]
        rows.append(
            {
                "line": line,
                "category": categories.get(line.category, line.category),
                "quotes": quotes,
                "needed": needed,
                "missing": max(0, needed - len(quotes)),
            }
        )
    editable, reason = edit_decision(request, application)
    spec = quote_spec(application.round)
    context = {
        "application": application,
        "rows": rows,
        "threshold": budget.quote_threshold(application.round),
        "problems": budget._problems(application, lines),
        "editable": editable,
        "reason": reason,
        "form": quote_form,
        "quote_line": quote_line,
        "quote_formats": format_names(spec),
        "max_mb": max_upload_bytes(application.round) // (1024 * 1024),
    }
    return render(request, "applications/budget/budget.html", context, status=status)


@login_required
@require_GET
def budget_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_budget(request, application_for(request, pk))


def _line_form_page(request: HttpRequest, application: Application, line: BudgetLine | None) -> HttpResponse:
    editable, reason = edit_decision(request, application)
    status = 200
    line_fingerprint = budget.fingerprint(line) if line is not None else ""
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(reason)
        line_fingerprint = request.POST.get("fingerprint", "")
        form = BudgetLineForm(request.POST, round_obj=application.round)
        if form.is_valid():
            try:
                if line is None:
                    saved = budget.add_budget_line(
                        actor=request.user, application=application, values=form.values()
                    )
                    messages.success(request, _("「%(item)s」を追加しました。") % {"item": saved.item})
                else:
                    saved = budget.update_budget_line(
                        actor=request.user,
                        line=line,
                        values=form.values(),
                        expected_fingerprint=request.POST.get("fingerprint", ""),
                    )
                    messages.success(request, _("「%(item)s」を保存しました。") % {"item": saved.item})
            except budget.LineConflict as exc:
                form.add_error(None, exc.messages[0])
                # Shown the other person's values, a deliberate second save may replace them.
                line_fingerprint = budget.fingerprint(exc.current)
                status = 409
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                return redirect("applications:budget", pk=application.pk)
        else:
            status = 400
    else:
        initial: dict[str, Any] = {}
        if line is not None:
            initial = {
                "category": line.category,
                "item": line.item,
                "vendor": line.vendor,
                "quantity": line.quantity,
                "unit_price_yen": line.unit_price_yen,
                "tax_rate_percent": line.tax_rate_percent,
            }
        form = BudgetLineForm(initial=initial, round_obj=application.round)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "application": application,
        "form": form,
        "line": line,
        "fingerprint": line_fingerprint,
        "editable": editable,
        "reason": reason,
        "threshold": budget.quote_threshold(application.round),
    }
    return render(request, "applications/budget/line_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _line_form_page(request, application_for(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = application_for(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, application=application)
    line.application = application
    return _line_form_page(request, application, line)


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = application_for(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, application=application)
    line.application = application
    editable, reason = edit_decision(request, application)
    if not editable:
        raise PermissionDenied(reason)
    budget.delete_budget_line(actor=request.user, line=line)
    messages.success(request, _("「%(item)s」を削除しました。") % {"item": line.item})
    return redirect("applications:budget", pk=application.pk)


@login_required
@require_POST
def budget_quote_upload(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = application_for(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, application=application)
    line.application = application
    editable, reason = edit_decision(request, application)
    if not editable:
        raise PermissionDenied(reason)
    form = QuoteUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            budget.upload_quote(actor=request.user, line=line, file=form.cleaned_data["file"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("「%(item)s」に見積書「%(name)s」を添付しました。")
                % {"item": line.item, "name": form.cleaned_data["file"].name},
            )
            return redirect("applications:budget", pk=application.pk)
    return _render_budget(request, application, quote_form=form, quote_line=line.pk, status=400)
