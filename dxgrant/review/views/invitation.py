"""/review/invitations/<token>/: where the secretariat's emailed link leads a person invited to
a round's reviewer pool. A new person creates their reviewer account here (the link proves the
address), then enrols the second factor (the middleware sends them there before any page) and
meets the round's confidentiality terms; a reviewer with an account signs in and accepts."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.core.forms import add_errors, form_status
from dxgrant.support.forms import NewAccountForm

from .. import selectors
from ..services import invitations


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.find_invitation(token)
    user = request.user if isinstance(request.user, User) else None
    if invitation is not None and user is not None and invitation.accepted_by_id == user.pk:
        return redirect("review:terms", code=invitation.round.code)
    problem = selectors.invitation_problem(invitation)
    if problem or invitation is None:
        return render(
            request,
            "review/invitation_invalid.html",
            {"problem": problem},
            status=404 if invitation is None else 410,
        )
    terms = reverse("review:terms", args=[invitation.round.code])
    context: dict[str, Any] = {"invitation": invitation, "round": invitation.round}
    if user is not None:
        wrong = user.email.lower() != invitation.email or user.role != Role.REVIEWER
        if request.method == "POST" and not wrong:
            try:
                invitations.accept_invitation(actor=user, invitation=invitation)
            except (ValidationError, PermissionDenied) as exc:
                context["error"] = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            else:
                messages.success(request, _("審査員への招待を承諾しました。"))
                return redirect(terms)
        context["mode"] = "wrong_account" if wrong else "accept"
        status = 403 if wrong and request.method == "POST" else (400 if "error" in context else 200)
        return render(request, "review/invitation_accept.html", context, status=status)
    existing = User.objects.filter(email__iexact=invitation.email).only("role").first()
    if existing is not None:
        context["mode"] = "sign_in" if existing.role == Role.REVIEWER else "taken"
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "review/invitation_accept.html", context)
    form = NewAccountForm(
        request.POST or None, email=invitation.email, initial={"display_name": invitation.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new_user = invitations.accept_invitation_with_new_account(
                invitation=invitation,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                language=(get_language() or "ja")[:2],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            # The password was typed just now: setting up the authenticator app next (reviewers
            # need one before any page) does not ask for it a second time.
            record_authentication(
                request, new_user, method="password", email=new_user.email, reauthenticated=True
            )
            messages.success(
                request,
                _("審査員のアカウントを作成しました。次に、認証アプリを設定してください。"),
            )
            return redirect(terms)
    context.update({"mode": "new_account", "form": form})
    return render(request, "review/invitation_accept.html", context, status=form_status(request))
