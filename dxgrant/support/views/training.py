"""Training sessions: scheduling, the session page with its check-in code panel, cancelling."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.accounts.models import User
from dxgrant.core.forms import add_errors, form_status

from .. import checkin as checkin_codes
from .. import policies, selectors
from ..forms import SessionForm
from ..models import TrainingSession
from ..services import training
from .common import engagement_home, signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    policies.can_manage_engagement(user, engagement).require()
    members = [m.user for m in engagement.members.all()]
    curriculum = engagement.round.rules.training.curriculum
    form = SessionForm(request.POST or None, curriculum=curriculum, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = training.schedule_session(
                actor=user,
                engagement=engagement,
                curriculum_code=data["curriculum_code"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                format=data["format"],
                location=data["location"],
                invitees=form.invitee_users(),
                submission_token=data["submission_token"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("研修を登録し、参加者にお知らせしました。"))
            return redirect("support:session_detail", pk=session.pk)
    context = {"engagement": engagement, "form": form, "curriculum": curriculum}
    return render(request, "support/session_form.html", context, status=form_status(request))


def _code_context(user: User, session: TrainingSession) -> dict[str, Any]:
    """The check-in code panel: shown only to the firm's advisors who may act, in the window."""
    rules = session.engagement.round.rules.training
    window = checkin_codes.window_for(session, rules)
    now = timezone.now()
    may_show, reason = policies.can_manage_engagement(user, session.engagement)
    code = checkin_codes.current_code(session, rules, now) if may_show else ""
    return {
        "session": session,
        "may_show_code": may_show,
        "code_reason": reason,
        "code": code,
        "window": window,
        "window_state": "before" if now < window.opens else ("after" if now > window.closes else "open"),
        "rotates_in_minutes": max(1, round(checkin_codes.seconds_until_rotation(now) / 60)),
        "state": selectors.session_state(session, rules, now),
    }


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = selectors.get_session_for(user, pk)
    engagement = session.engagement
    attendances = list(session.attendances.select_related("user").order_by("checked_in_at", "id"))
    is_member = policies.member_of(user, engagement) is not None
    my_attendance = next((a for a in attendances if a.user_id == user.pk), None)
    may_check_in, check_in_reason = policies.can_check_in(user, session)
    context = {
        **_code_context(user, session),
        "engagement": engagement,
        "unit": selectors.curriculum_unit(engagement.round, session.curriculum_code),
        "invitees": list(session.invitees.all()),
        "attendances": attendances,
        "is_member": is_member,
        "is_firm_advisor": policies.is_firm_advisor(user, engagement),
        "my_attendance": my_attendance,
        "may_check_in": may_check_in and my_attendance is None,
        "check_in_reason": check_in_reason,
        "may_cancel": (
            policies.can_manage_engagement(user, engagement).allowed
            and session.cancelled_at is None
            and session.starts_at > timezone.now()
        ),
        "home": engagement_home(user, engagement),
        # Only web addresses become links (never javascript: or the like).
        "location_url": session.location if session.location.startswith(("https://", "http://")) else "",
    }
    return render(request, "support/session_detail.html", context)


@login_required
def session_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code panel alone, polled by the session page so the code on screen stays current."""
    user = signed_in_user(request)
    session = selectors.get_session_for(user, pk)
    policies.can_manage_engagement(user, session.engagement).require()
    response = render(request, "support/_session_code.html", _code_context(user, session))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    session = selectors.get_session_for(user, pk)
    try:
        training.cancel_session(actor=user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("研修を中止しました。"))
    return redirect("support:session_detail", pk=session.pk)
