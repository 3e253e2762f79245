"""The applications a person works on, creating one from an engagement, the task list
(申請の作成状況) and check your answers (入力内容の確認)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxgrant.accounts.policies import is_staff_reader
from dxgrant.decisions.selectors import published_result
from dxgrant.support import policies as support_policies
from dxgrant.support.models import Engagement, EngagementStatus

from ..models import Application
from ..policies import applications_visible_to
from ..selectors import application_page
from ..services import creation, duplicates
from .common import user_of


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications this person works on (applicant's company or advisor's firm)."""
    applications = (
        applications_visible_to(user_of(request)).select_related("round", "firm").order_by("-id")[:50]
    )
    return render(request, "applications/list.html", {"applications": applications})


@login_required
@require_POST
def from_engagement(request: HttpRequest, engagement_pk: int) -> HttpResponse:
    """Create (or, once created, open) the application of an engagement: the button on the
    support pages. Creating is idempotent, so pressing it twice makes one application."""
    user = user_of(request)
    engagement = Engagement.objects.select_related("round", "firm").filter(pk=engagement_pk).first()
    if engagement is None:
        raise Http404("engagement")
    member = support_policies.member_of(user, engagement) is not None
    advisor = not member and support_policies.is_firm_advisor(user, engagement)
    existing = Application.objects.filter(engagement=engagement).only("pk").first()
    if not member and not advisor:
        if existing is None or not is_staff_reader(user):
            raise Http404("engagement")
    if existing is None:
        if advisor:
            allowed, reason = support_policies.can_manage_engagement(user, engagement)
            if not allowed:
                raise PermissionDenied(reason)
            if engagement.status != EngagementStatus.ACTIVE:
                # The company's acceptance is what takes its one place in the round.
                messages.error(request, _("代表者が招待を承諾すると、申請書を作成できます。"))
                return redirect("support:engagement_detail", pk=engagement.pk)
        try:
            existing = creation.ensure_application(engagement=engagement, actor=user)
        except duplicates.DuplicateApplication as exc:
            duplicates.record_refusal(exc)
            messages.error(request, " ".join(exc.messages))
            home = "support:my_engagement" if member else "support:engagement_detail"
            return redirect(home, pk=engagement.pk)
    return redirect("applications:detail", pk=existing.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The task list (申請の作成状況): each section with its status and what is left."""
    page = application_page(request.user, pk)
    context = page.detail_context() | {"result": published_result(page.application)}
    return render(request, "applications/detail.html", context)


@login_required
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers (入力内容の確認): everything on one page, with what is left."""
    page = application_page(request.user, pk)
    return render(request, "applications/check.html", page.full_context())
