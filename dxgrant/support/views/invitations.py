"""Invitations: the representative inviting staff, resending and revoking, and the page the
emailed link leads to."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxgrant.accounts.models import Role, User
from dxgrant.applications.services.duplicates import DuplicateApplication, record_refusal
from dxgrant.core.forms import add_errors, form_status

from .. import policies, selectors
from ..forms import NewAccountForm, StaffInvitationForm
from ..services import invitations
from .common import engagement_home, signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The representative invites delegated staff of their company."""
    user = signed_in_user(request)
    engagement = selectors.get_engagement_for(user, pk)
    policies.can_invite_staff(user, engagement).require()
    form = StaffInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite_staff(
                actor=user,
                engagement=engagement,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(email)s に招待メールを送りました。") % {"email": invitation.email})
            return redirect("support:my_engagement", pk=engagement.pk)
    context = {"engagement": engagement, "form": form}
    return render(request, "support/staff_invite.html", context, status=form_status(request))


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    invitation = selectors.get_invitation_for(user, pk)
    invitations.resend_invitation(actor=user, invitation=invitation)
    messages.success(
        request,
        _("%(email)s に新しい招待リンクを送りました。以前のリンクは使えなくなりました。")
        % {"email": invitation.email},
    )
    return redirect(engagement_home(user, invitation.engagement))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    invitation = selectors.get_invitation_for(user, pk)
    invitations.revoke_invitation(actor=user, invitation=invitation)
    messages.success(request, _("%(email)s への招待を取り消しました。") % {"email": invitation.email})
    return redirect(engagement_home(user, invitation.engagement))


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Where the emailed link leads. New people create their applicant account here (the link
    proves the address); people with an account sign in first and then accept."""
    invitation = selectors.find_invitation(token)
    problem = selectors.invitation_problem(invitation)
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
                invitations.accept_invitation(actor=user, invitation=invitation)
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
            new_user = invitations.accept_invitation_with_new_account(
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
            add_errors(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
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
    return render(request, "support/invitation_accept.html", context, status=form_status(request))
