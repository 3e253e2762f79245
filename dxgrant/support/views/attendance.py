"""The attendee's own check-in with the code shown in the session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.integrity.middleware import client_ip

from .. import checkin as checkin_codes
from .. import policies, selectors
from ..forms import CheckInForm
from ..models import Attendance
from ..services import attendance
from .common import signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Nobody can check in for someone else: advisors and staff are refused here and in the
    service."""
    user = signed_in_user(request)
    session = selectors.get_session_for(user, pk)
    policies.can_check_in(user, session).require()
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = attendance.check_in(
                actor=user,
                session=session,
                attendee=user,
                code=form.cleaned_data["code"],
                ip_address=client_ip(request),
            )
            if result.ok:
                if result.already:
                    messages.info(request, _("この研修にはすでに出席を記録しています。"))
                else:
                    messages.success(request, _("出席を記録しました。"))
                return redirect("support:session_detail", pk=session.pk)
            form.add_error("code", result.refusal)
        status = 400
    already = Attendance.objects.filter(session=session, user=user).first()
    context = {
        "session": session,
        "engagement": session.engagement,
        "unit": selectors.curriculum_unit(session.engagement.round, session.curriculum_code),
        "form": form,
        "already": already,
        "window": checkin_codes.window_for(session, session.engagement.round.rules.training),
    }
    return render(request, "support/checkin.html", context, status=status)
