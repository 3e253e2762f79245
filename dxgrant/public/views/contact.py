"""The contact form and its thank-you page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.core.forms import form_status
from dxgrant.core.i18n import current_language
from dxgrant.integrity.middleware import client_ip
from dxgrant.programs.selectors import get_programme

from .. import selectors
from ..forms import InquiryForm
from ..services import contact
from .site import _programme_context

# The session remembers the inquiry this browser sent, for the thank-you page.
LAST_INQUIRY = "last_inquiry"


@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest) -> HttpResponse:
    programme = get_programme(request)
    form = InquiryForm(request.POST or None)
    status = form_status(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry, _created = contact.submit_inquiry(
                name=data["name"],
                email=data["email"],
                category=data["category"],
                message=data["message"],
                organisation=data["organisation"],
                phone=data["phone"],
                submission_token=data["submission_token"],
                language=current_language(),
                ip_address=client_ip(request),
            )
        except contact.TooManyInquiries:
            form.add_error(
                None,
                _(
                    "短時間に多くのお問い合わせが送信されたため、受け付けを一時的に停止しています。"
                    "しばらくしてから再度お試しいただくか、お電話でお問い合わせください。"
                ),
            )
            status = 429
        else:
            request.session[LAST_INQUIRY] = inquiry.pk
            return redirect("public:contact_thanks")
    context = _programme_context(programme, form=form, nav="contact")
    return render(request, "public/contact.html", context, status=status)


def contact_thanks(request: HttpRequest) -> HttpResponse:
    inquiry = selectors.sent_inquiry(request.session.get(LAST_INQUIRY))
    if inquiry is None:
        return redirect("public:contact")
    context = _programme_context(get_programme(request), inquiry=inquiry, nav="contact")
    return render(request, "public/contact_thanks.html", context)
