"""Pages of advisor support (伴走支援). Thin: fetch and authorise through selectors (404 for
missing and forbidden alike), check the policy for the act (403 with the reason), call a
service, redirect."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.policies import active_membership, can_act_as_advisor
from dxgrant.applications.services import DuplicateApplication, record_refusal
from dxgrant.applications.workflow import TRANSITIONS
from dxgrant.integrity.middleware import client_ip
from dxgrant.programs.models import Round

from . import checkin as checkin_codes
from . import policies, selectors, services
from .forms import (
    CheckInForm,
    EndEngagementForm,
    EngagementForm,
    HearingForm,
    HearingResponseForm,
    NewAccountForm,
    QuizForm,
    SessionForm,
    StaffInvitationForm,
)
from .models import (
    Attendance,
    Engagement,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    TrainingQuizAttempt,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _require(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _add_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _form_status(request: HttpRequest) -> int:
    """A form page shown again after a POST shows a refused submission: 400, not 200."""
    return 400 if request.method == "POST" else 200


def _hearing_content(data: dict[str, Any]) -> dict[str, Any]:
    """What a hearing record says, as typed: the same for a new record and an edit."""
    return {
        "held_on": data["held_on"],
        "attendees": data["attendees"],
        "topics": data["topics"],
        "challenges": data["challenges"],
        "next_steps": data["next_steps"],
    }


def _engagement_home(user: User, engagement: Engagement) -> str:
    """Where a person goes back to: the applicant's page for members, the detail otherwise."""
    if policies.member_of(user, engagement) is not None:
        return reverse("support:my_engagement", args=[engagement.pk])
    return reverse("support:engagement_detail", args=[engagement.pk])


# --- Advisor: dashboard and engagements ----------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The advisor's applicants: where each stands and what is due."""
    user = _user(request)
    if user.role == Role.APPLICANT:
        return redirect("support:my_support")
    if policies.is_staff_reader(user):
        return redirect("support:staff_engagements")
    membership = active_membership(user)
    if membership is None:
        raise PermissionDenied(can_act_as_advisor(user)[1])
    may_act, act_reason = can_act_as_advisor(user)
    may_start, start_reason = policies.can_start_engagement(user) if may_act else (False, act_reason)
    mine = request.GET.get("mine") == "1"
    engagements = policies.engagements_visible_to(user)
    if mine:
        engagements = engagements.filter(lead_advisor=user)
    page = selectors.keyset_page(engagements, request.GET.get("before"))
    context = {
        "firm": membership.firm,
        "page": page,
        "mine": mine,
        "may_act": may_act,
        "act_reason": act_reason,
        "may_start": may_start,
        "start_reason": start_reason,
        "nav": "support",
    }
    return render(request, "support/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def engagement_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require(policies.can_start_engagement(user))
    rounds = services.rounds_open_for(user)
    form = EngagementForm(request.POST or None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = services.start_engagement(
                actor=user,
                round=data["round"],
                company_name=data["company_name"],
                corporate_number=data["corporate_number"],
                representative_name=data["representative_name"],
                representative_email=data["representative_email"],
                submission_token=data["submission_token"],
            )
        except DuplicateApplication as exc:
            record_refusal(exc)
            _add_errors(form, exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(company)s の支援を開始し、代表者に招待メールを送りました。")
                % {"company": engagement.company_name},
            )
            return redirect("support:engagement_detail", pk=engagement.pk)
    context = {"form": form, "rounds": rounds}
    return render(request, "support/engagement_form.html", context, status=_form_status(request))


def _detail_context(user: User, engagement: Engagement) -> dict[str, Any]:
    may_manage, manage_reason = policies.can_manage_engagement(user, engagement)
    return {
        "engagement": engagement,
        "may_end": policies.can_end_engagement(user, engagement)[0],
        "members": list(engagement.members.all()),
        "may_manage": may_manage,
        "manage_reason": manage_reason,
        "is_staff_reader": policies.is_staff_reader(user),
        **selectors.engagement_detail(engagement),
    }


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    if policies.member_of(user, engagement) is not None:
        return redirect("support:my_engagement", pk=engagement.pk)
    return render(request, "support/engagement_detail.html", _detail_context(user, engagement))


@login_required
@require_http_methods(["GET", "POST"])
def engagement_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the support (支援の終了), after a confirmation: the representative or the firm."""
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    home = _engagement_home(user, engagement)
    allowed, reason = policies.can_end_engagement(user, engagement)
    if not allowed:
        if engagement.status == EngagementStatus.ENDED:  # e.g. a second click
            messages.error(request, reason)
            return redirect(home)
        raise PermissionDenied(reason)
    form = EndEngagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_engagement(actor=user, engagement=engagement, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("支援を終了しました。相手方にメールで知らせます。"))
            return redirect(home)
    application = getattr(engagement, "application", None)
    closes = application is not None and application.status in TRANSITIONS["close_with_support"].sources
    context = {"engagement": engagement, "form": form, "closes_application": closes}
    return render(request, "support/engagement_end.html", context, status=_form_status(request))


@login_required
def engagement_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who attended which session, and the quiz: read only, for everyone who may see it."""
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    context = _detail_context(user, engagement)
    names = selectors.member_names(engagement)
    context["people"] = [{"name": names.get(p.user_id, "—"), "record": p} for p in context["training"].people]
    context["home"] = _engagement_home(user, engagement)
    return render(request, "support/engagement_attendance.html", context)


# --- Hearing records -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hearing_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    _require(policies.can_manage_engagement(user, engagement))
    corrects: HearingRecord | None = None
    corrects_id = request.POST.get("corrects") or request.GET.get("corrects")
    if corrects_id and str(corrects_id).isdigit():
        corrects = engagement.hearings.select_related("correction").filter(pk=int(corrects_id)).first()
        if corrects is None:
            raise Http404
        _require(policies.can_correct_hearing(user, corrects))
    form = HearingForm(request.POST or None, instance=corrects if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = services.record_hearing(
                actor=user,
                engagement=engagement,
                **_hearing_content(data),
                corrects=corrects,
                submission_token=data["submission_token"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("ヒアリング記録を保存し、申請者に確認を依頼しました。"))
            return redirect("support:hearing_detail", pk=hearing.pk)
    context = {"engagement": engagement, "form": form, "corrects": corrects, "editing": False}
    return render(request, "support/hearing_form.html", context, status=_form_status(request))


@login_required
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    hearing = selectors.get_hearing_for(user, pk)
    may_respond, _reason = policies.can_respond_to_hearing(user, hearing)
    context = {
        "hearing": hearing,
        "engagement": hearing.engagement,
        "may_respond": may_respond,
        "may_edit": policies.can_edit_hearing(user, hearing)[0],
        "may_correct": policies.can_correct_hearing(user, hearing)[0],
        "response_form": HearingResponseForm(initial={"revision": hearing.revision}) if may_respond else None,
        "home": _engagement_home(user, hearing.engagement),
    }
    return render(request, "support/hearing_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    hearing = selectors.get_hearing_for(user, pk)
    _require(policies.can_edit_hearing(user, hearing))
    form = HearingForm(request.POST or None, instance=hearing if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_hearing(
                actor=user,
                hearing=hearing,
                revision=data["revision"] or 0,
                **_hearing_content(data),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("ヒアリング記録を更新しました。"))
            return redirect("support:hearing_detail", pk=hearing.pk)
    context = {"engagement": hearing.engagement, "hearing": hearing, "form": form, "editing": True}
    return render(request, "support/hearing_form.html", context, status=_form_status(request))


@login_required
@require_POST
def hearing_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's own answer to a hearing record: acknowledge, or dispute with a comment."""
    user = _user(request)
    hearing = selectors.get_hearing_for(user, pk)
    form = HearingResponseForm(request.POST)
    if form.is_valid():
        try:
            services.respond_to_hearing(
                actor=user,
                hearing=hearing,
                revision=form.cleaned_data["revision"],
                response=form.cleaned_data["response"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("回答を送りました。アドバイザーに伝わります。"))
            return redirect("support:hearing_detail", pk=hearing.pk)
    else:
        # The form is only shown to those who may answer; anyone else posting is refused plainly.
        _require(policies.can_respond_to_hearing(user, hearing))
    context = {
        "hearing": hearing,
        "engagement": hearing.engagement,
        "may_respond": True,
        "response_form": form,
        "home": _engagement_home(user, hearing.engagement),
    }
    return render(request, "support/hearing_detail.html", context, status=400)


# --- Training sessions ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    _require(policies.can_manage_engagement(user, engagement))
    members = [m.user for m in engagement.members.all()]
    curriculum = engagement.round.training.get("curriculum", [])
    form = SessionForm(request.POST or None, curriculum=curriculum, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.schedule_session(
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
            _add_errors(form, exc)
        else:
            messages.success(request, _("研修を登録し、参加者にお知らせしました。"))
            return redirect("support:session_detail", pk=session.pk)
    context = {"engagement": engagement, "form": form, "curriculum": curriculum}
    return render(request, "support/session_form.html", context, status=_form_status(request))


def _code_context(user: User, session: Any) -> dict[str, Any]:
    """The check-in code panel: shown only to the firm's advisors who may act, in the window."""
    training = session.engagement.round.training
    window = checkin_codes.window_for(session, training)
    now = timezone.now()
    may_show, reason = policies.can_manage_engagement(user, session.engagement)
    code = checkin_codes.current_code(session, training, now) if may_show else ""
    return {
        "session": session,
        "may_show_code": may_show,
        "code_reason": reason,
        "code": code,
        "window": window,
        "window_state": "before" if now < window.opens else ("after" if now > window.closes else "open"),
        "rotates_in_minutes": max(1, round(checkin_codes.seconds_until_rotation(now) / 60)),
        "state": selectors.session_state(session, training, now),
    }


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session = selectors.get_session_for(user, pk)
    engagement = session.engagement
    attendances = list(session.attendances.select_related("user").order_by("checked_in_at", "id"))
    is_member = policies.member_of(user, engagement) is not None
    my_attendance = next((a for a in attendances if a.user_id == user.pk), None)
    may_check_in, check_in_reason = policies.can_check_in(user, session)
    context = {
        **_code_context(user, session),
        "engagement": engagement,
        "unit": services.curriculum_unit(engagement.round, session.curriculum_code),
        "invitees": list(session.invitees.all()),
        "attendances": attendances,
        "is_member": is_member,
        "is_firm_advisor": policies.is_firm_advisor(user, engagement),
        "my_attendance": my_attendance,
        "may_check_in": may_check_in and my_attendance is None,
        "check_in_reason": check_in_reason,
        "may_cancel": (
            policies.can_manage_engagement(user, engagement)[0]
            and session.cancelled_at is None
            and session.starts_at > timezone.now()
        ),
        "home": _engagement_home(user, engagement),
        # Only web addresses become links (never javascript: or the like).
        "location_url": session.location if session.location.startswith(("https://", "http://")) else "",
    }
    return render(request, "support/session_detail.html", context)


@login_required
def session_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code panel alone, polled by the session page so the code on screen stays current."""
    user = _user(request)
    session = selectors.get_session_for(user, pk)
    _require(policies.can_manage_engagement(user, session.engagement))
    response = render(request, "support/_session_code.html", _code_context(user, session))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session = selectors.get_session_for(user, pk)
    try:
        services.cancel_session(actor=user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("研修を中止しました。"))
    return redirect("support:session_detail", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee's own check-in with the code shown in the session. Nobody can do it for
    them: advisors and staff are refused here and in the service."""
    user = _user(request)
    session = selectors.get_session_for(user, pk)
    _require(policies.can_check_in(user, session))
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = services.check_in(
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
        "unit": services.curriculum_unit(session.engagement.round, session.curriculum_code),
        "form": form,
        "already": already,
        "window": checkin_codes.window_for(session, session.engagement.round.training),
    }
    return render(request, "support/checkin.html", context, status=status)


# --- Applicant side ------------------------------------------------------------------------------


@login_required
def my_support(request: HttpRequest) -> HttpResponse:
    """The applicant's engagements: who supports them, and what awaits them."""
    user = _user(request)
    if user.role != Role.APPLICANT:
        raise PermissionDenied(_("このページは申請者（支援を受ける会社の方）のためのページです。"))
    engagements = selectors.engagement_rows(policies.engagements_visible_to(user).order_by("-id"))
    rows = selectors.build_rows(engagements)
    return render(request, "support/my_support.html", {"rows": rows})


@login_required
def my_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    member = policies.member_of(user, engagement)
    if member is None:
        return redirect("support:engagement_detail", pk=engagement.pk)
    context = _detail_context(user, engagement)
    now = timezone.now()
    for session in context["sessions"]:
        session.attended_by_me = any(a.user_id == user.pk for a in session.attendances.all())
    context.update(
        {
            "member": member,
            "is_representative": member.role == EngagementRole.REPRESENTATIVE,
            "my_training": context["training"].for_user(user.pk),
            "my_sessions": [
                s
                for s in context["sessions"]
                if s.cancelled_at is None
                and s.ends_at + checkin_codes.grace_period(engagement.round.training) >= now
                and policies.is_invited(user, s)
            ],
            "staff_invitations": [
                i for i in context["invitations"] if i.role == EngagementRole.STAFF and i.is_open
            ],
            "may_invite_staff": policies.can_invite_staff(user, engagement)[0],
            "pending_hearings": [h for h in context["hearings"] if h.response == "pending"],
            # Submitting needs an authenticator: ask for it while setting up, not on deadline day.
            "needs_mfa": not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        }
    )
    return render(request, "support/my_engagement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, pk: int) -> HttpResponse:
    """The comprehension quiz, answered by the attendee themselves after attending a session."""
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    attended = Attendance.objects.filter(
        user=user, session__engagement=engagement, session__cancelled_at__isnull=True
    ).exists()
    _require(policies.can_take_quiz(user, engagement, has_attended=attended))
    training = engagement.round.training
    attempts = list(TrainingQuizAttempt.objects.filter(engagement=engagement, user=user).order_by("-id")[:5])
    passed = next((a for a in attempts if a.passed), None)
    form = None if passed else QuizForm(request.POST or None, questions=training.get("quiz", []))
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            attempt = services.submit_quiz(
                actor=user,
                engagement=engagement,
                answers=form.answers(),
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if attempt.passed:
                messages.success(
                    request, _("確認テストに合格しました（%(score)s点）。") % {"score": attempt.score_percent}
                )
            else:
                messages.info(
                    request,
                    _("%(score)s点でした。合格には%(mark)s点以上が必要です。もう一度挑戦できます。")
                    % {"score": attempt.score_percent, "mark": training.get("pass_mark_percent")},
                )
            return redirect("support:quiz", pk=engagement.pk)
    context = {
        "engagement": engagement,
        "form": form,
        "passed": passed,
        "attempts": attempts,
        "pass_mark": training.get("pass_mark_percent"),
    }
    return render(request, "support/quiz.html", context, status=_form_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The representative invites delegated staff of their company."""
    user = _user(request)
    engagement = selectors.get_engagement_for(user, pk)
    _require(policies.can_invite_staff(user, engagement))
    form = StaffInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_staff(
                actor=user,
                engagement=engagement,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(email)s に招待メールを送りました。") % {"email": invitation.email})
            return redirect("support:my_engagement", pk=engagement.pk)
    context = {"engagement": engagement, "form": form}
    return render(request, "support/staff_invite.html", context, status=_form_status(request))


# --- Invitations ---------------------------------------------------------------------------------


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    invitation = selectors.get_invitation_for(user, pk)
    services.resend_invitation(actor=user, invitation=invitation)
    messages.success(
        request,
        _("%(email)s に新しい招待リンクを送りました。以前のリンクは使えなくなりました。")
        % {"email": invitation.email},
    )
    return redirect(_engagement_home(user, invitation.engagement))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    invitation = selectors.get_invitation_for(user, pk)
    services.revoke_invitation(actor=user, invitation=invitation)
    messages.success(request, _("%(email)s への招待を取り消しました。") % {"email": invitation.email})
    return redirect(_engagement_home(user, invitation.engagement))


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Where the emailed link leads. New people create their applicant account here (the link
    proves the address); people with an account sign in first and then accept."""
    invitation = services.find_invitation(token)
    problem = services.invitation_problem(invitation)
    user = request.user if request.user.is_authenticated else None
    if invitation is not None and invitation.accepted_at is not None and user is not None:
        if invitation.accepted_by_id == user.pk:
            return redirect("support:my_engagement", pk=invitation.engagement_id)
    if problem or invitation is None:
        return render(
            request,
            "support/invitation_invalid.html",
            {"problem": problem},
            status=404 if invitation is None else 410,
        )
    context: dict[str, Any] = {"invitation": invitation, "engagement": invitation.engagement, "token": token}
    if user is not None:
        assert isinstance(user, User)
        wrong = user.email.lower() != invitation.email or user.role != Role.APPLICANT
        if request.method == "POST" and not wrong:
            try:
                services.accept_invitation(actor=user, invitation=invitation)
            except DuplicateApplication as exc:
                record_refusal(exc)
                context["error"] = " ".join(exc.messages)
            except ValidationError as exc:
                context["error"] = " ".join(exc.messages)
            else:
                messages.success(request, _("招待を承諾しました。"))
                return redirect("support:my_engagement", pk=invitation.engagement_id)
        context["mode"] = "wrong_account" if wrong else "accept"
        return render(
            request,
            "support/invitation_accept.html",
            context,
            status=403 if wrong and request.method == "POST" else 200,
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["mode"] = "sign_in"
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "support/invitation_accept.html", context)
    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept_invitation_with_new_account(
                invitation=invitation,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                language=(get_language() or "ja")[:2],
            )
        except DuplicateApplication as exc:
            # The new account was rolled back with the refusal: the attempt is filed under the
            # inviting advisor, with the address that tried.
            record_refusal(
                exc, on_behalf_of=invitation.invited_by, detail=f"invitation accepted by {invitation.email}"
            )
            _add_errors(form, exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            # The password was typed just now: record it as allauth records a password typed
            # again, so setting up the authenticator next does not ask for it a second time.
            record_authentication(
                request, new_user, method="password", email=new_user.email, reauthenticated=True
            )
            messages.success(request, _("アカウントを作成し、招待を承諾しました。"))
            return redirect("support:my_engagement", pk=invitation.engagement_id)
    context.update({"mode": "new_account", "form": form})
    return render(request, "support/invitation_accept.html", context, status=_form_status(request))


# --- Secretariat and auditors --------------------------------------------------------------------


@login_required
def staff_engagements(request: HttpRequest) -> HttpResponse:
    """Every engagement, filterable; read only."""
    user = _user(request)
    if not policies.is_staff_reader(user):
        raise PermissionDenied(_("事務局・監査担当のみが閲覧できます。"))
    status = request.GET.get("status", "")
    round_code = request.GET.get("round", "")
    q = request.GET.get("q", "")[:100]
    engagements = selectors.staff_filter(
        policies.engagements_visible_to(user), status=status, round_code=round_code, q=q
    )
    page = selectors.keyset_page(engagements, request.GET.get("before"))
    context = {
        "page": page,
        "status": status,
        "round_code": round_code,
        "q": q,
        "statuses": EngagementStatus.choices,
        "rounds": Round.objects.order_by("application_opens", "code").only("code", "name_ja", "name_en"),
        "nav": "staff",
    }
    return render(request, "support/staff_engagements.html", context)
