"""The secretariat's review of registrations and its decisions about certified firms. Staff
readers read; only the secretariat decides. The decisions a page offers come from the lifecycle
tables (lifecycle.decisions_offered)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dxgrant.core.gates import login_redirect, requires
from dxgrant.core.lifecycle import Transition
from dxgrant.programs.selectors import get_programme

from .. import lifecycle
from ..fees import advance_fee_yen, fee_flags
from ..forms.review import DecisionForm, ReviewFilterForm
from ..models import AdvisorFirm, FirmReviewEvent, RegistrationStatus
from ..policies import can_read_registrations, can_review_registrations, firms_visible_to
from ..sections import registration_missing
from ..selectors import get_firm_for_review, review_queue
from ..services import certification as services
from .shared import acting_user


@require_GET
@requires(can_read_registrations)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    rules = get_programme(request).certification_rules
    form = ReviewFilterForm(request.GET or None)
    status, q = RegistrationStatus.SUBMITTED.value, ""
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or status
        q = form.cleaned_data["q"].strip()
    page = review_queue(request.user, status=status, query=q, after=request.GET.get("after", ""))
    for firm in page.items:
        firm.flags = fee_flags(firm, rules)  # type: ignore[attr-defined]
    counts = dict(
        firms_visible_to(request.user)
        .values_list("registration_status")
        .annotate(n=Count("id"))
        .values_list("registration_status", "n")
    )
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "firms": page.items,
        "next_after": page.next_cursor,
        "status": status,
        "q": q,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in RegistrationStatus.choices],
        "query_string": query.urlencode(),
        "nav": "staff",
    }
    return render(request, "advisors/review_queue.html", context)


@dataclass(frozen=True)
class Presentation:
    """How the review page shows one decision (its label is the transition's)."""

    reason_label: Promise
    primary: bool = False
    danger: bool = False


PRESENTATION: dict[str, Presentation] = {
    "certify": Presentation(gettext_lazy("メモ（任意）"), primary=True),
    "request_changes": Presentation(gettext_lazy("修正してほしい点")),
    "reject": Presentation(gettext_lazy("不認定の理由")),
    "renew": Presentation(gettext_lazy("更新の理由")),
    "suspend": Presentation(gettext_lazy("停止の理由")),
    "reinstate": Presentation(gettext_lazy("解除の理由")),
    "revoke": Presentation(gettext_lazy("取消しの理由"), danger=True),
}


def _actions(transitions: list[Transition], failed: DecisionForm | None) -> list[dict[str, Any]]:
    """The decision forms of the page, in the order offered; a refused one keeps what was typed."""
    actions = []
    for transition in transitions:
        name = transition.name
        shown = PRESENTATION[name]
        bound = failed if failed is not None and failed.data.get("action") == name else None
        actions.append(
            {
                "action": name,
                "label": transition.label,
                "reason_label": shown.reason_label,
                "primary": shown.primary,
                "danger": shown.danger,
                "confirm": "irreversibility_confirmed" in transition.guards,
                "form": bound or DecisionForm(initial={"action": name}, auto_id=f"id_{name}_%s"),
            }
        )
    return actions


@require_GET
@requires(can_read_registrations)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    firm = get_firm_for_review(request.user, pk)
    return _render_review(request, firm)


def _render_review(
    request: HttpRequest, firm: AdvisorFirm, *, failed: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    prefetch_related_objects(
        [firm],
        "proposed_advisors",
        "documents",
        Prefetch("review_events", queryset=FirmReviewEvent.objects.select_related("actor")),
    )
    rules = firm.programme.certification_rules
    declarations = []
    for spec in rules.declarations:
        record = firm.declarations.get(spec.key) or {}
        current = record.get("version") == spec.version
        declarations.append(
            {
                "spec": spec,
                "record": record if current else None,
                "at": dt.datetime.fromisoformat(record["at"]) if current and record.get("at") else None,
            }
        )
    engagements = list(firm.engagements.select_related("round").order_by("-id")[:50])
    kinds = {lifecycle.SECRETARIAT} if can_review_registrations(request.user) else set()
    docs = list(firm.documents.all())
    context = {
        "firm": firm,
        "flags": fee_flags(firm, rules),
        "advance_fee_yen": advance_fee_yen(firm),
        "missing": registration_missing(firm),
        "declarations": declarations,
        "documents": [
            {"spec": spec, "files": [d for d in docs if d.kind == spec.code]} for spec in rules.documents
        ],
        "events": firm.review_events.all(),
        "engagements": engagements,
        "actions": _actions(lifecycle.decisions_offered(firm, kinds), failed),
        "failed": failed,
        "public_status": firm.public_status(),
        "nav": "staff",
    }
    return render(request, "advisors/review_detail.html", context, status=status)


Decide = Callable[..., Any]

# Each decision's service and what the secretariat is told once it is taken (certification says
# the number it issued: see review_decision).
DECISIONS: dict[str, tuple[Decide, Promise]] = {
    "request_changes": (
        services.request_registration_changes,
        gettext_lazy("修正を依頼しました。事業者にメールで知らせます。"),
    ),
    "reject": (services.reject_registration, gettext_lazy("不認定としました。事業者にメールで知らせます。")),
    "renew": (services.renew_certification, gettext_lazy("認定を更新しました。事業者にメールで知らせます。")),
    "suspend": (
        services.suspend_certification,
        gettext_lazy("認定を停止しました。事業者と、支援先の申請者にメールで知らせます。"),
    ),
    "reinstate": (
        services.reinstate_certification,
        gettext_lazy("停止を解除しました。事業者と、支援先の申請者にメールで知らせます。"),
    ),
    "revoke": (
        services.revoke_certification,
        gettext_lazy("認定を取り消しました。事業者と、支援先の申請者にメールで知らせます。"),
    ),
}


@require_POST
def review_decision(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request)
    # Anyone who may not read registrations gets 404 (the firm is not theirs to know of); the
    # auditor reads but is refused the decision (403 with the reason).
    firm = get_firm_for_review(request.user, pk)
    can_review_registrations(request.user).require()
    form = DecisionForm(request.POST, auto_id=f"id_{request.POST.get('action', 'x')}_%s")
    if not form.is_valid():
        return _render_review(request, firm, failed=form, status=400)
    action, text = form.cleaned_data["action"], form.cleaned_data["reason"]
    actor = acting_user(request)
    try:
        if action == "certify":
            event = services.certify_firm(actor=actor, firm=firm, note=text)
            messages.success(
                request,
                _("認定しました。認定番号は %(number)s です。事業者にメールで知らせます。")
                % {"number": event.firm.certification_number},
            )
        else:
            service, done = DECISIONS[action]
            service(actor=actor, firm=firm, reason=text)
            messages.success(request, str(done))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("advisors:review_detail", pk=firm.pk)
