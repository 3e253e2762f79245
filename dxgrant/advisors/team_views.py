"""Pages for a firm's own people: the firm home (team and invitations), joining, the course."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.core.forms import HalfWidthEmailField

from . import course, team
from .models import AdvisorInvitation, CourseProgress, FirmMembership, MembershipRole
from .policies import active_membership, can_act_as_advisor, can_invite_applicants, is_firm_admin


class InviteAdvisorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("氏名"), max_length=100)
    email = HalfWidthEmailField(label=gettext_lazy("メールアドレス"))


class JoinForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("氏名"), max_length=100)
    password = forms.CharField(
        label=gettext_lazy("パスワード"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("10文字以上。推測されやすいものや数字だけのものは使えません。"),
    )


def _membership_or_403(request: HttpRequest) -> FirmMembership:
    membership = active_membership(request.user)
    if membership is None:
        raise PermissionDenied(_("認定事業者に所属するアドバイザーのみが利用できます。"))
    return membership


@login_required
def firm_home(request: HttpRequest) -> HttpResponse:
    membership = _membership_or_403(request)
    firm = membership.firm
    programme = firm.programme
    version = int(programme.advisor_course["version"])
    members = list(
        FirmMembership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("role", "joined_at")
    )
    passed = set(
        CourseProgress.objects.filter(
            user__in=[m.user_id for m in members],
            programme=programme,
            course_version=version,
            passed_at__isnull=False,
        ).values_list("user_id", flat=True)
    )
    for member in members:
        member.course_passed = member.user_id in passed  # type: ignore[attr-defined]
    admin = membership.role == MembershipRole.ADMIN
    invitations = (
        list(AdvisorInvitation.objects.filter(firm=firm, accepted_at__isnull=True, revoked_at__isnull=True))
        if admin
        else []
    )
    acting, acting_reason = can_act_as_advisor(request.user)
    inviting, inviting_reason = can_invite_applicants(request.user)
    context = {
        "firm": firm,
        "membership": membership,
        "members": members,
        "invitations": invitations,
        "is_admin": admin,
        "form": InviteAdvisorForm(),
        "can_act": acting,
        "act_reason": acting_reason,
        "can_invite": inviting,
        "invite_reason": inviting_reason,
        "nav": "firm",
    }
    return render(request, "advisors/team/home.html", context)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    membership = _membership_or_403(request)
    form = InviteAdvisorForm(request.POST)
    if form.is_valid():
        try:
            team.invite_advisor(
                actor=request.user,
                firm=membership.firm,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            form.add_error("email", exc.messages[0])
        else:
            messages.success(request, _("招待メールを送りました。"))
            return redirect("firm:home")
    if not is_firm_admin(request.user, membership.firm):
        raise PermissionDenied(_("事業者の管理者のみが行えます。"))
    return render(
        request,
        "advisors/team/invite_error.html",
        {"form": form, "firm": membership.firm, "nav": "firm"},
        status=400,
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_403(request)
    invitation = get_object_or_404(AdvisorInvitation, pk=pk, firm=membership.firm)
    invitation.firm = membership.firm  # the same firm, already loaded
    team.revoke_advisor_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("招待を取り消しました。"))
    return redirect("firm:home")


@login_required
@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_403(request)
    target = get_object_or_404(FirmMembership, pk=pk, firm=membership.firm, is_active=True)
    target.firm = membership.firm  # the same firm, already loaded
    try:
        team.deactivate_member(actor=request.user, membership=target)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("アドバイザーを事業者から外しました。これまでの記録は残ります。"))
    return redirect("firm:home")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = team.find_invitation(token)
    except team.InvitationUnusable:
        return render(request, "advisors/team/join_unusable.html", {}, status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinForm(request.POST or None)
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                team.accept_advisor_invitation(raw_token=token, user=request.user)
            else:
                account = team.accept_advisor_invitation(
                    raw_token=token,
                    user=None,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password"],
                )
                login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        except team.InvitationUnusable:
            return render(request, "advisors/team/join_unusable.html", {}, status=410)
        except ValidationError as exc:
            # Password rules (new account) or an existing membership.
            if form is not None:
                form.add_error("password", exc)
            else:
                error = " ".join(exc.messages)
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("事業者に参加しました。まずアドバイザー研修を受講してください。"))
            return redirect("firm:course")
    context = {"invitation": invitation, "form": form, "error": error, "signed_in": signed_in}
    return render(
        request, "advisors/team/join.html", context, status=400 if request.method == "POST" else 200
    )


# --- the advisor course ------------------------------------------------------------------------


def _course_context(request: HttpRequest) -> dict[str, Any]:
    membership = _membership_or_403(request)
    programme = membership.firm.programme
    progress = course.progress_for(request.user, programme)
    data = course.course_of(programme)
    return {
        "programme": programme,
        "course": data,
        "progress": progress,
        "all_read": all(m["code"] in progress.modules_read for m in data["modules"]),
        "nav": "firm",
    }


@login_required
def course_home(request: HttpRequest) -> HttpResponse:
    return render(request, "advisors/course/home.html", _course_context(request))


@login_required
@require_http_methods(["GET", "POST"])
def course_module(request: HttpRequest, code: str) -> HttpResponse:
    context = _course_context(request)
    modules = context["course"]["modules"]
    module = next((m for m in modules if m["code"] == code), None)
    if module is None:
        raise Http404(code)
    if request.method == "POST":
        course.mark_module_read(actor=request.user, programme=context["programme"], module_code=code)
        index = modules.index(module)
        if index + 1 < len(modules):
            return redirect("firm:course_module", code=modules[index + 1]["code"])
        return redirect("firm:course_quiz")
    context |= {"module": module, "position": modules.index(module) + 1, "count": len(modules)}
    return render(request, "advisors/course/module.html", context)


class QuizForm(forms.Form):
    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any) -> None:
        from dxgrant.core.i18n import localised

        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question["code"]] = forms.ChoiceField(
                label=localised(question, "question"),
                choices=[(c["value"], localised(c, "label")) for c in question["choices"]],
                widget=forms.RadioSelect,
                error_messages={"required": _("答えを選んでください。")},
            )


@login_required
@require_http_methods(["GET", "POST"])
def course_quiz(request: HttpRequest) -> HttpResponse:
    context = _course_context(request)
    if not context["all_read"]:
        messages.info(request, _("すべての単元を読んでから確認テストを受けてください。"))
        return redirect("firm:course")
    form = QuizForm(request.POST or None, questions=context["course"]["quiz"])
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = course.submit_course_quiz(
                actor=request.user, programme=context["programme"], answers=form.cleaned_data
            )
            context["progress"].refresh_from_db()
            if not result.attempt.passed:
                form = QuizForm(questions=context["course"]["quiz"])
        else:
            status = 400
    context |= {"form": form, "result": result}
    return render(request, "advisors/course/quiz.html", context, status=status)
