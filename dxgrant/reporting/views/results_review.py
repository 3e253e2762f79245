"""The secretariat's results reports: /staff/results-reports/ (filter by round and status,
newest first, keyset pages) and the review page (every line with its checks and evidence;
approve, or request changes with a comment per line)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires
from dxgrant.core.pagination import keyset_page
from dxgrant.programs.models import Round

from .. import results_policies as policies
from ..results_forms import ReviewForm
from ..results_models import LIFECYCLE
from ..services import results_reports as service

PAGE_SIZE = 50


@requires(can_read_as_staff)
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """Every results report, filtered by round and status; one query for the rows whatever
    their number (the application and round come with each row)."""
    queryset = policies.reports_visible_to(request.user).select_related("application__round")
    round_id = request.GET.get("round", "")
    status = request.GET.get("status", "")
    if round_id.isdigit():
        queryset = queryset.filter(application__round_id=int(round_id))
    if status in LIFECYCLE.states:
        queryset = queryset.filter(status=status)
    page = keyset_page(
        queryset,
        cursor=request.GET.get("before"),
        size=PAGE_SIZE,
        rows=lambda reports: [(r, LIFECYCLE.label(r.status)) for r in reports],
    )
    context = {
        "page": page,
        "rounds": list(Round.objects.order_by("-id").only("id", "name_ja", "name_en")),
        "states": [(code, label) for code, label in LIFECYCLE.states.items()],
        "chosen_round": round_id,
        "chosen_status": status,
    }
    return render(request, "reporting/results/staff_list.html", context)


@requires(can_read_as_staff)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Staff readers read the report; the secretariat approves it (the eligible actual cost goes
    to the final amount) or sends it back with at least one comment (POST by others: 403)."""
    report = get_object_or_404(
        policies.reports_visible_to(request.user).select_related(
            "application__round", "application__engagement__firm"
        ),
        pk=report_pk,
    )
    checked = service.check(report)
    lines = [line for line, _findings in checked.lines]
    form = ReviewForm(request.POST or None, lines=lines)
    may = policies.can_review(request.user)
    if request.method == "POST":
        may.require()
        if form.is_valid():
            try:
                if form.cleaned_data["action"] == "approve":
                    service.approve(report=report, actor=user_of(request))
                    done = _("実績報告を承認しました。")
                else:
                    service.request_changes(report=report, actor=user_of(request), comments=form.comments())
                    done = _("実績報告の修正を依頼しました。")
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("results_report:staff_review", report_pk=report.pk)
    context = {
        "report": report,
        "application": report.application,
        "checked": checked,
        "form": form,
        "may": may,
        "reviewable": may.allowed and LIFECYCLE.allows("approve", report.status),
        "state_label": LIFECYCLE.label(report.status),
    }
    return render(request, "reporting/results/review.html", context, status=form_status(request))
