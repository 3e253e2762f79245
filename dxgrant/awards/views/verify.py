"""/verify/notice/<number>: anyone checks a notice (its status, kind, amount, date; the company
for awards only) and whether a PDF is exactly the notice that was issued. Look-ups are limited
per client address (limits.py): beyond the limit the page answers 429 and shows no notice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .. import limits, selectors
from ..forms import VerifyNoticeForm


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, number: str) -> HttpResponse:
    if not limits.allow_lookup(request):
        response = render(request, "awards/verify_limited.html", {"limit": limits.per_minute()}, status=429)
        response["Retry-After"] = str(limits.retry_after())
        return response
    notice = selectors.public_notice(number)
    form = VerifyNoticeForm(request.POST, request.FILES) if request.method == "POST" else VerifyNoticeForm()
    result = None
    if form.is_bound and form.is_valid():
        result = selectors.verify_pdf(form.cleaned_data["file"], expected=notice.number)
    context = {
        "notice": notice,
        "company_name": selectors.public_company_name(notice),
        "form": form,
        "result": result,
    }
    return render(request, "awards/verify.html", context, status=400 if form.errors else 200)
