"""The public register (認定事業者の確認): anyone can check a firm's certification, validity, fees
and independence."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dxgrant.programs.selectors import get_programme

from ..fees import advance_fee_yen
from ..forms.register import RegisterSearchForm
from ..selectors import get_public_firm, public_register


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register: every certified firm, with its status, validity, fees and independence."""
    programme = get_programme(request)
    prefix = programme.certification_rules.number_prefix
    today = timezone.localdate()
    form = RegisterSearchForm(request.GET or None, number_example=f"{prefix}-{today.year}-00001")
    criteria: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        criteria = {k: form.cleaned_data[k] or "" for k in ("q", "prefecture", "status")}
    page = public_register(
        query=criteria.get("q", ""),
        prefecture=criteria.get("prefecture", ""),
        status=criteria.get("status", ""),
        after=request.GET.get("after", ""),
        today=today,
    )
    for firm in page.items:
        firm.status = firm.public_status(today)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "firms": page.items,
        "next_after": page.next_cursor,
        "query_string": query.urlencode(),
        "searched": bool(criteria and any(criteria.values())),
        "paged": bool(request.GET.get("after")),
        "programme": programme,
        "nav": "register",
    }
    return render(request, "advisors/register.html", context)


@require_GET
def register_detail(request: HttpRequest, certification_number: str) -> HttpResponse:
    firm = get_public_firm(certification_number)
    if firm.certification_number != certification_number:
        return redirect("advisors:register_detail", certification_number=firm.certification_number)
    today = timezone.localdate()
    context = {
        "firm": firm,
        "status": firm.public_status(today),
        "advance_fee_yen": advance_fee_yen(firm),
        "nav": "register",
    }
    return render(request, "advisors/register_detail.html", context)
