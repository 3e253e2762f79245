"""A firm's own page (its people and invitations) and joining a firm by an invitation link."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.core.gates import requires

from ..forms.team import InviteAdvisorForm, JoinForm
from ..models import AdvisorInvitation, FirmMembership, MembershipRole
from ..policies import can_act_as_advisor, can_invite_applicants, can_use_firm_pages, is_firm_admin
from ..selectors import InvitationUnusable, find_invitation, firm_team
from ..services import team as services
from .shared import acting_user, membership_of


@requires(can_use_firm_pages)
def firm_home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    firm = membership.firm
    team = firm_team(membership)
    acting, acting_reason = can_act_as_advisor(request.user)
    inviting, inviting_reason = can_invite_applicants(request.user)
    context = {
        "firm": firm,
        "membership": membership,
        "members": team.members,
        "invitations": team.invitations,
        "is_admin": membership.role == MembershipRole.ADMIN,
        "form": InviteAdvisorForm(),
        "can_act": acting,
        "act_reason": acting_reason,
        "can_invite": inviting,
        "invite_reason": inviting_reason,
        "nav": "firm",
    }
    return render(request, "advisors/team/home.html", context)


@requires(can_use_firm_pages)
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    form = InviteAdvisorForm(request.POST)
    if form.is_valid():
        try:
            services.invite_advisor(
                actor=acting_user(request),
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


@requires(can_use_firm_pages)
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_of(request)
    invitation = get_object_or_404(AdvisorInvitation, pk=pk, firm=membership.firm)
    invitation.firm = membership.firm  # the same firm, already loaded
    services.revoke_advisor_invitation(actor=acting_user(request), invitation=invitation)
    messages.success(request, _("招待を取り消しました。"))
    return redirect("firm:home")


@requires(can_use_firm_pages)
@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_of(request)
    target = get_object_or_404(FirmMembership, pk=pk, firm=membership.firm, is_active=True)
    target.firm = membership.firm  # the same firm, already loaded
    try:
        services.deactivate_member(actor=acting_user(request), membership=target)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("アドバイザーを事業者から外しました。これまでの記録は残ります。"))
    return redirect("firm:home")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link (the link is the secret): a new account, or the signed-in one."""
    try:
        invitation = find_invitation(token)
    except InvitationUnusable:
        return render(request, "advisors/team/join_unusable.html", {}, status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinForm(request.POST or None)
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                services.accept_advisor_invitation(raw_token=token, user=request.user)
            else:
                account = services.accept_advisor_invitation(
                    raw_token=token,
                    user=None,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password"],
                )
                login(request, account, backend="django.contrib.auth.backends.ModelBackend")
                # The password was typed just now: setting up the authenticator app next (advisors
                # need one) does not ask for it a second time.
                record_authentication(
                    request, account, method="password", email=account.email, reauthenticated=True
                )
        except InvitationUnusable:
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
