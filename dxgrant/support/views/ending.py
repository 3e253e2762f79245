"""Ending the support (支援の終了), after a confirmation: the representative or the firm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.applications.workflow import TRANSITIONS
from dxgrant.core.forms import add_errors, form_status

from .. import lifecycle, policies, selectors
from ..forms import EndEngagementForm
from ..services import ending
from .common import engagement_home, signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def engagement_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    home = engagement_home(user, engagement)
    decision = policies.can_end_engagement(user, engagement)
    if not decision:
        if not lifecycle.ENGAGEMENT.allows("end", engagement.status):  # e.g. a second click
            messages.error(request, decision.reason)
            return redirect(home)
        decision.require()
    form = EndEngagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ending.end_engagement(actor=user, engagement=engagement, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("支援を終了しました。相手方にメールで知らせます。"))
            return redirect(home)
    application = getattr(engagement, "application", None)
    closes = application is not None and application.status in TRANSITIONS["close_with_support"].sources
    context = {"engagement": engagement, "form": form, "closes_application": closes}
    return render(request, "support/engagement_end.html", context, status=form_status(request))
