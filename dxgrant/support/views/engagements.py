"""The engagements: the advisor's dashboard, starting an engagement and its pages, the
applicant's own pages, and the secretariat's and auditors' list (read only)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.accounts.models import Role
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.advisors.policies import active_membership
from dxgrant.applications.services.duplicates import DuplicateApplication, record_refusal
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires
from dxgrant.programs.models import Round

from .. import checkin as checkin_codes
from .. import policies, selectors
from ..forms import EngagementForm
from ..models import EngagementRole, EngagementStatus
from ..services import engagements
from .common import detail_context, engagement_home, signed_in_user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The advisor's applicants: where each stands and what is due."""
    user = signed_in_user(request)
    if user.role == Role.APPLICANT:
        return redirect("support:my_support")
    if policies.is_staff_reader(user):
        return redirect("support:staff_engagements")
    membership = active_membership(user)
    acting = policies.may_act_for_firm(user)
    if membership is None:
        raise PermissionDenied(acting.reason)
    may_act, act_reason = acting
    may_start, start_reason = policies.can_start_engagement(user) if may_act else acting
    mine = request.GET.get("mine") == "1"
    engagements_seen = policies.engagements_visible_to(user)
    if mine:
        engagements_seen = engagements_seen.filter(lead_advisor=user)
    page = selectors.engagements_page(engagements_seen, request.GET.get("before"))
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
    user = signed_in_user(request)
    policies.can_start_engagement(user).require()
    rounds = selectors.rounds_open_for(user)
    form = EngagementForm(request.POST or None, rounds=rounds, ask_repeat="repeat_confirmed" in request.POST)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = engagements.start_engagement(
                actor=user,
                round=data["round"],
                company_name=data["company_name"],
                corporate_number=data["corporate_number"],
                representative_name=data["representative_name"],
                representative_email=data["representative_email"],
                submission_token=data["submission_token"],
                repeat_confirmed=form.repeat_confirmed(),
            )
        except engagements.RepeatInvitation as exc:
            # The warning, with the box that confirms it, beside the box.
            form = EngagementForm(request.POST, rounds=rounds, ask_repeat=True)
            form.is_valid()
            form.add_error("repeat_confirmed", exc.messages)
        except DuplicateApplication as exc:
            record_refusal(exc)
            add_errors(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(company)s の支援を開始し、代表者に招待メールを送りました。")
                % {"company": engagement.company_name},
            )
            return redirect("support:engagement_detail", pk=engagement.pk)
    context = {"form": form, "rounds": rounds}
    return render(request, "support/engagement_form.html", context, status=form_status(request))


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    if policies.member_of(user, engagement) is not None:
        return redirect("support:my_engagement", pk=engagement.pk)
    return render(request, "support/engagement_detail.html", detail_context(user, engagement))


@login_required
def engagement_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who attended which session, and the quiz: read only, for everyone who may see it."""
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    context = detail_context(user, engagement)
    names = selectors.member_names(engagement)
    context["people"] = [{"name": names.get(p.user_id, "—"), "record": p} for p in context["training"].people]
    context["home"] = engagement_home(user, engagement)
    return render(request, "support/engagement_attendance.html", context)


# --- Applicant side ------------------------------------------------------------------------------


@login_required
def my_support(request: HttpRequest) -> HttpResponse:
    """The applicant's engagements: who supports them, and what awaits them."""
    user = signed_in_user(request)
    if user.role != Role.APPLICANT:
        raise PermissionDenied(_("このページは申請者（支援を受ける会社の方）のためのページです。"))
    rows = selectors.engagement_rows(policies.engagements_visible_to(user).order_by("-id"))
    return render(request, "support/my_support.html", {"rows": selectors.build_rows(rows)})


@login_required
def my_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    member = policies.member_of(user, engagement)
    if member is None:
        return redirect("support:engagement_detail", pk=engagement.pk)
    context = detail_context(user, engagement)
    now = timezone.now()
    for session in context["sessions"]:
        session.attended_by_me = any(a.user_id == user.pk for a in session.attendances.all())
    grace = checkin_codes.grace_period(engagement.round.rules.training)
    context.update(
        {
            "member": member,
            "is_representative": member.role == EngagementRole.REPRESENTATIVE,
            "my_training": context["training"].for_user(user.pk),
            "my_sessions": [
                s
                for s in context["sessions"]
                if s.cancelled_at is None and s.ends_at + grace >= now and policies.is_invited(user, s)
            ],
            "staff_invitations": [
                i for i in context["invitations"] if i.role == EngagementRole.STAFF and i.is_open
            ],
            "may_invite_staff": policies.can_invite_staff(user, engagement).allowed,
            "pending_hearings": [h for h in context["hearings"] if h.response == "pending"],
            # Submitting needs an authenticator: ask for it while setting up, not on deadline day.
            "needs_mfa": not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        }
    )
    return render(request, "support/my_engagement.html", context)


# --- Secretariat and auditors --------------------------------------------------------------------


@requires(can_read_as_staff)
def staff_engagements(request: HttpRequest) -> HttpResponse:
    """Every engagement, filterable; read only."""
    user = signed_in_user(request)
    status = request.GET.get("status", "")
    round_code = request.GET.get("round", "")
    q = request.GET.get("q", "")[:100]
    engagements_seen = selectors.with_repeat_invitations(
        selectors.staff_filter(
            policies.engagements_visible_to(user), status=status, round_code=round_code, q=q
        )
    )
    page = selectors.engagements_page(engagements_seen, request.GET.get("before"))
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
