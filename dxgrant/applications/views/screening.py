"""/staff/applications/screening/: the formal screening (形式審査). The queue of a round's
submitted and screening applications, oldest submission first; the checklist of one application
with the system's findings and the secretariat's confirmations; the outcomes (pass to review,
reject as ineligible; the return for correction is the existing page, linked). The secretariat
acts; auditors read; every other role is refused with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxgrant.accounts.policies import can_act_as_secretariat
from dxgrant.core.forms import add_errors
from dxgrant.core.gates import requires
from dxgrant.programs.models import Round

from .. import screening_selectors, selectors, workflow
from ..forms.screening import ConfirmItemForm, RejectForm
from ..models import Application
from ..policies import can_fire, can_use_staff_pages
from ..services import screening
from .common import user_of

QUEUE_PAGE_SIZE = 50
staff_reader = requires(can_use_staff_pages)


def _cursor(application: Application) -> str:
    stamp = application.submitted_at.isoformat() if application.submitted_at else ""
    return f"{stamp}|{application.pk}"


@require_GET
@staff_reader
def screening_queue(request: HttpRequest) -> HttpResponse:
    """?round=<code> (default: the round of the oldest application waiting, else the newest
    round); ?after=<cursor> for the next page."""
    rounds = list(Round.objects.order_by("-id"))  # whole rows: the chosen one's rules are read
    code = request.GET.get("round", "")
    chosen = next((r for r in rounds if r.code == code), None)
    if chosen is None:
        waiting = screening_selectors.oldest_waiting_round_id()
        chosen = next((r for r in rounds if r.pk == waiting), rounds[0] if rounds else None)
    rows: list[Application] = []
    next_after = None
    total = 0
    if chosen is not None:
        total = len(screening_selectors.items_of(chosen))
        queryset = screening_selectors.queue_filter_after(
            screening_selectors.queue(chosen), request.GET.get("after", "")
        )
        found = list(queryset.order_by("submitted_at", "id")[: QUEUE_PAGE_SIZE + 1])
        rows = found[:QUEUE_PAGE_SIZE]
        if len(found) > QUEUE_PAGE_SIZE:
            next_after = _cursor(rows[-1])
    context = {
        "rounds": rounds,
        "chosen": chosen,
        "rows": rows,
        "total": total,
        "next_after": next_after,
        "states": workflow.STATES,
        "nav": "staff",
    }
    return render(request, "applications/staff/screening_queue.html", context)


def _render_checklist(
    request: HttpRequest,
    application: Application,
    *,
    forms: dict[str, ConfirmItemForm] | None = None,
    reject_form: RejectForm | None = None,
    pass_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    checklist = screening_selectors.checklist(application)
    user = request.user
    may_act = bool(can_act_as_secretariat(user)) and application.status in screening_selectors.QUEUE_STATES
    forms = forms or {}
    rows = [
        {
            "row": row,
            "form": forms.get(row.code)
            or ConfirmItemForm(
                prefix=row.code,
                initial=None
                if row.check is None
                else {"answer": "met" if row.check.met else "not_met", "note": row.check.note},
            ),
        }
        for row in checklist.rows
    ]
    context: dict[str, Any] = {
        "application": application,
        "status_label": workflow.LIFECYCLE.label(application.status),
        "checklist": checklist,
        "rows": rows,
        "may_act": may_act and checklist.version is not None,
        "may_return": may_act and bool(can_fire(user, application, "return")),
        "reject_form": reject_form or RejectForm(),
        "pass_errors": pass_errors or [],
        "nav": "staff",
    }
    return render(request, "applications/staff/screening.html", context, status=status)


@require_GET
@staff_reader
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_checklist(request, selectors.staff_application(request.user, pk))


@require_POST
@staff_reader
def confirm_item(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    can_act_as_secretariat(request.user).require()
    application = selectors.staff_application(request.user, pk)
    form = ConfirmItemForm(request.POST, prefix=code)
    if form.is_valid():
        try:
            screening.confirm_item(
                application, actor=user_of(request), code=code, met=form.met, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("確認結果を保存しました。"))
            return redirect(reverse("staff_applications:screening", args=[application.pk]) + f"#item-{code}")
    return _render_checklist(request, application, forms={code: form}, status=400)


@require_POST
@staff_reader
def pass_screening(request: HttpRequest, pk: int) -> HttpResponse:
    can_act_as_secretariat(request.user).require()
    application = selectors.staff_application(request.user, pk)
    try:
        screening.pass_screening(application, actor=user_of(request))
    except ValidationError as exc:
        return _render_checklist(request, application, pass_errors=exc.messages, status=400)
    messages.success(request, _("形式審査を通過としました。交付審査へ進みます。"))
    return redirect("staff_applications:screening", pk=application.pk)


@require_POST
@staff_reader
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    can_act_as_secretariat(request.user).require()
    application = selectors.staff_application(request.user, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            screening.reject_as_ineligible(
                application, actor=user_of(request), reasons=form.cleaned_data["reasons"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("要件を満たさないため不採択としました。申請者とアドバイザーにメールで知らせます。")
            )
            return redirect("staff_applications:screening", pk=application.pk)
    return _render_checklist(request, application, reject_form=form, status=400)
