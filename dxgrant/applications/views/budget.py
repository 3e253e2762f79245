"""The budget pages: lines with computed amounts and totals, quotations per line."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.core.editing import EditConflict, refusal_status
from dxgrant.core.forms import add_errors

from .. import budget_rules
from ..document_rules import format_names, max_upload_mb, quote_spec
from ..forms.plan import BudgetLineForm, QuoteChoiceForm, QuoteUploadForm
from ..models import Application, ApplicationDocument, BudgetLine
from ..policies import can_edit_content
from ..services import budget
from .common import content_application, read_only, user_of


def _render_budget(
    request: HttpRequest,
    application: Application,
    *,
    quote_form: QuoteUploadForm | None = None,
    quote_line: int | None = None,
    choice_form: QuoteChoiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = list(
        application.budget_lines.prefetch_related(
            Prefetch("quotes", queryset=ApplicationDocument.objects.order_by("id"))
        )
    )
    categories = dict(budget_rules.category_choices(application.round))
    rows = []
    with_quotes: list[budget_rules.QuoteTally] = []
    for line in lines:
        quotes = list(line.quotes.all())
        needed = budget_rules.quotes_required(application.round, line)
        tally = budget_rules.tally(line, quotes)
        shown_choice = choice_form if choice_form is not None and quote_line == line.pk else None
        initial = {"quote": line.chosen_quote_id, "reason": line.choice_reason}
        rows.append(
            {
                "line": line,
                "category": categories.get(line.category, line.category),
                "quotes": quotes,
                "needed": needed,
                "missing": max(0, needed - len(quotes)),
                "tally": tally,
                "choice_form": (
                    shown_choice or QuoteChoiceForm(initial=initial, quotes=quotes, prefix=f"line{line.pk}")
                )
                if len(quotes) >= 2
                else None,
            }
        )
        with_quotes.append(tally)
    editable, reason = can_edit_content(request.user, application)
    context = {
        "application": application,
        "rows": rows,
        "threshold": budget_rules.quote_threshold(application.round),
        "problems": budget_rules.problems(application.round, with_quotes),
        "editable": editable,
        "reason": reason,
        "form": quote_form or choice_form,  # the error summary
        "upload_form": quote_form,
        "quote_line": quote_line if quote_form is not None else None,
        "quote_formats": format_names(quote_spec(application.round)),
        "max_mb": max_upload_mb(application.round),
    }
    return render(request, "applications/budget/budget.html", context, status=status)


@login_required
@require_GET
def budget_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_budget(request, content_application(request, pk))


def _line_form_page(request: HttpRequest, application: Application, line: BudgetLine | None) -> HttpResponse:
    decision = can_edit_content(request.user, application)
    editable, reason = decision
    status = 200
    line_fingerprint = budget_rules.fingerprint(line) if line is not None else ""
    if request.method == "POST":
        decision.require()
        line_fingerprint = request.POST.get("fingerprint", "")
        form = BudgetLineForm(request.POST, round_obj=application.round)
        if form.is_valid():
            try:
                if line is None:
                    saved = budget.add_budget_line(
                        actor=user_of(request), application=application, values=form.values()
                    )
                    messages.success(request, _("「%(item)s」を追加しました。") % {"item": saved.item})
                else:
                    saved = budget.update_budget_line(
                        actor=user_of(request),
                        line=line,
                        values=form.values(),
                        expected_fingerprint=request.POST.get("fingerprint", ""),
                    )
                    messages.success(request, _("「%(item)s」を保存しました。") % {"item": saved.item})
            except EditConflict as exc:
                form.add_error(None, exc.messages[0])
                # Shown the other person's values, a deliberate second save may replace them.
                line_fingerprint = budget_rules.fingerprint(exc.current)
                status = refusal_status(exc)
            except ValidationError as exc:
                add_errors(form, exc)
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
        read_only(form)
    context = {
        "application": application,
        "form": form,
        "line": line,
        "fingerprint": line_fingerprint,
        "editable": editable,
        "reason": reason,
        "threshold": budget_rules.quote_threshold(application.round),
    }
    return render(request, "applications/budget/line_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _line_form_page(request, content_application(request, pk), None)


def _line(application: Application, line_pk: int) -> BudgetLine:
    line = get_object_or_404(BudgetLine, pk=line_pk, application=application)
    line.application = application
    return line


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = content_application(request, pk)
    return _line_form_page(request, application, _line(application, line_pk))


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = content_application(request, pk)
    line = _line(application, line_pk)
    can_edit_content(request.user, application).require()
    budget.delete_budget_line(actor=user_of(request), line=line)
    messages.success(request, _("「%(item)s」を削除しました。") % {"item": line.item})
    return redirect("applications:budget", pk=application.pk)


@login_required
@require_POST
def budget_quote_upload(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    application = content_application(request, pk)
    line = _line(application, line_pk)
    can_edit_content(request.user, application).require()
    form = QuoteUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            budget.upload_quote(
                actor=user_of(request),
                line=line,
                file=form.cleaned_data["file"],
                supplier=form.cleaned_data["supplier"],
                amount_yen=form.cleaned_data["amount_yen"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("「%(item)s」に見積書「%(name)s」を添付しました。")
                % {"item": line.item, "name": form.cleaned_data["file"].name},
            )
            return redirect("applications:budget", pk=application.pk)
    return _render_budget(request, application, quote_form=form, quote_line=line.pk, status=400)


@login_required
@require_POST
def budget_quote_choose(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """The advisor records which quotation the line is bought on, and why when not the cheapest."""
    application = content_application(request, pk)
    line = _line(application, line_pk)
    can_edit_content(request.user, application).require()
    quotes = list(line.quotes.order_by("id"))
    form = QuoteChoiceForm(request.POST, quotes=quotes, prefix=f"line{line.pk}")
    if form.is_valid():
        try:
            budget.choose_quote(
                actor=user_of(request),
                line=line,
                quote_id=form.cleaned_data["quote"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("「%(item)s」の採用する見積書を保存しました。") % {"item": line.item})
            return redirect("applications:budget", pk=application.pk)
    return _render_budget(request, application, choice_form=form, quote_line=line.pk, status=400)
