"""The company profile (会社概要)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.core.editing import is_htmx, refusal_status
from dxgrant.core.forms import add_errors

from ..forms.application import ProfileForm
from ..selectors import application_page
from ..services import profile
from .common import read_only, user_of


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Company profile. Autosave (htmx) and "save and return" both go through update_profile with
    the revision the form was opened at; a stale save is refused and the typed values stay."""
    page = application_page(request.user, pk)
    application = page.application
    may_edit, reason = page.may_edit
    form = ProfileForm(request.POST or None, instance=application)
    if not may_edit:  # read-only for staff and once submitted
        read_only(form)
    status = 200
    if request.method == "POST":
        page.may_edit.require()
        if form.is_valid():
            try:
                saved = profile.update_profile(
                    application=application,
                    actor=user_of(request),
                    data=form.profile_data(),
                    revision=form.cleaned_data["revision"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = refusal_status(exc)
            else:
                if is_htmx(request):
                    return render(
                        request,
                        "applications/_saved.html",
                        {"saved_at": timezone.localtime(), "revision": saved.profile_revision},
                    )
                messages.success(request, _("会社概要を保存しました。"))
                if "return" in request.POST:
                    return redirect("applications:detail", pk=pk)
                return redirect("applications:profile", pk=pk)
        else:
            status = 400
        if is_htmx(request):
            # 200 so htmx swaps the message in (it ignores the body of 4xx answers).
            return render(request, "applications/_saved.html", {"form": form})
    context = {
        "application": application,
        "form": form,
        "may_edit": may_edit,
        "reason": reason,
        "saved_at": None,
        "eligibility": page.eligibility,
        "eligibility_missing": page.eligibility_missing,
    }
    return render(request, "applications/profile.html", context, status=status)
