"""Declarations (宣誓・同意): only the applicant may tick them; others see them read-only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.core.forms import add_errors
from dxgrant.integrity.middleware import client_ip

from .. import completeness
from ..forms.application import DeclarationsForm
from ..selectors import application_page
from ..services import declarations
from .common import user_of


@login_required
@require_http_methods(["GET", "POST"])
def declarations_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Declarations: only the applicant may tick them; others see them read-only."""
    page = application_page(request.user, pk)
    application = page.application
    current = completeness.current_declarations(application)
    accepted = {
        a.declaration_id: a for a in application.declarations.select_related("accepted_by").order_by("id")
    }
    may_declare, reason = page.may_act_as_applicant
    form = DeclarationsForm(request.POST or None, declarations=current, accepted=set(accepted))
    status = 200
    if request.method == "POST":
        page.may_act_as_applicant.require()
        if form.is_valid():
            try:
                declarations.accept_declarations(
                    application=application,
                    actor=user_of(request),
                    declaration_ids=form.ticked(),
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("宣誓・同意を記録しました。"))
                return redirect("applications:detail", pk=pk)
        else:
            status = 400
    rows = [{"text": d, "acceptance": accepted.get(d.pk)} for d in current]
    context = {
        "application": application,
        "form": form,
        "rows": rows,
        "accepted_rows": [row for row in rows if row["acceptance"]],
        "pending_rows": [row for row in rows if not row["acceptance"]],
        "may_declare": may_declare and application.is_editable,
        "reason": reason,
    }
    return render(request, "applications/declarations.html", context, status=status)
