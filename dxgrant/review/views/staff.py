"""/staff/review/: the secretariat's review pages: the rounds, a round's progress with its pool,
workload per reviewer and the draw; suggested conflicts; one application's reviewers. Auditors
read them; only the secretariat acts (403 with the reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.core.forms import add_errors
from dxgrant.core.gates import requires
from dxgrant.programs.models import Round

from .. import lifecycle, selectors
from ..forms import AddByHandForm, AddReviewerForm, DrawForm, ExcludeForm, ReasonForm
from ..models import Assignment, ReviewerInvitation, ReviewerMembership
from ..policies import can_act_as_secretariat, can_read_as_staff
from ..services import conflicts, draws, invitations, scores
from .common import user_of

staff_reader = requires(can_read_as_staff)
secretariat = requires(can_act_as_secretariat)


def _round(code: str) -> Round:
    return get_object_or_404(Round, code=code)


def _round_page(
    request: HttpRequest,
    round_obj: Round,
    *,
    add_form: AddReviewerForm,
    draw_form: DrawForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "round": round_obj,
        "progress": selectors.progress(round_obj),
        "invitations": selectors.open_invitations(round_obj),
        "add_form": add_form,
        "draw_form": draw_form,
        "per_application": round_obj.rules.review.reviewers_per_application,
        "nav": "staff",
    }
    return render(request, "review/staff/round.html", context, status=status)


@require_GET
@staff_reader
def rounds(request: HttpRequest) -> HttpResponse:
    return render(
        request, "review/staff/rounds.html", {"rounds": list(selectors.reviewing_rounds()), "nav": "staff"}
    )


@require_GET
@staff_reader
def round_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _round_page(request, _round(code), add_form=AddReviewerForm(), draw_form=DrawForm())


@require_POST
@secretariat
def add_reviewer(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = _round(code)
    form = AddReviewerForm(request.POST)
    if form.is_valid():
        try:
            added = invitations.invite_reviewer(
                actor=user_of(request), round_obj=round_obj, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if isinstance(added, ReviewerInvitation):
                text = _(
                    "%(email)s にはまだアカウントがないため、審査員への招待メールを送りました（有効期限 %(when)s）。"
                ) % {
                    "email": added.email,
                    "when": timezone.localtime(added.expires_at).strftime("%Y-%m-%d %H:%M"),
                }
            else:
                text = _("%(email)s を審査員に追加し、メールで知らせました。") % {
                    "email": added.reviewer.email
                }
            messages.success(request, text)
            return redirect("staff_review:round", code=round_obj.code)
    return _round_page(request, round_obj, add_form=form, draw_form=DrawForm(), status=400)


def _invitation(pk: int) -> ReviewerInvitation:
    return get_object_or_404(ReviewerInvitation.objects.select_related("round"), pk=pk)


@require_POST
@secretariat
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(pk)
    try:
        invitations.resend_invitation(actor=user_of(request), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(email)s に新しい招待リンクを送りました。以前のリンクは使えなくなりました。")
            % {"email": invitation.email},
        )
    return redirect("staff_review:round", code=invitation.round.code)


@require_POST
@secretariat
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(pk)
    try:
        invitations.revoke_invitation(actor=user_of(request), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(email)s への招待を取り消しました。") % {"email": invitation.email})
    return redirect("staff_review:round", code=invitation.round.code)


@require_POST
@secretariat
def draw(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = _round(code)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            run = draws.run_draw(actor=user_of(request), round_obj=round_obj, seed=form.cleaned_data["seed"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("審査員を割り当てました（%(created)s 件、シード値 %(seed)s、不足 %(short)s 件）。")
                % {"created": run.created, "seed": run.seed, "short": len(run.short)},
            )
            return redirect("staff_review:round", code=round_obj.code)
    return _round_page(request, round_obj, add_form=AddReviewerForm(), draw_form=form, status=400)


@require_GET
@staff_reader
def conflict_list(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = _round(code)
    context = {"round": round_obj, "suggestions": selectors.suggested_conflicts(round_obj), "nav": "staff"}
    return render(request, "review/staff/conflicts.html", context)


@require_POST
@secretariat
def exclude(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = _round(code)
    form = ExcludeForm(request.POST)
    if form.is_valid():
        application = get_object_or_404(Application, pk=form.cleaned_data["application"], round=round_obj)
        reviewer = get_object_or_404(User, pk=form.cleaned_data["reviewer"])
        try:
            conflicts.exclude(
                actor=user_of(request),
                application=application,
                reviewer=reviewer,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("審査員をこの申請から除外しました。"))
    else:
        messages.error(request, _("除外する理由を入力してください。"))
    return redirect("staff_review:conflicts", code=round_obj.code)


def _application_page(
    request: HttpRequest, application: Application, *, form: AddByHandForm | None = None, status: int = 200
) -> HttpResponse:
    places = selectors.application_places(application)
    holding = {a.reviewer_id for a in places if a.status in lifecycle.HOLDING}
    pool_members = (
        ReviewerMembership.objects.filter(round=application.round, active=True)
        .select_related("reviewer")
        .order_by("reviewer__email")
    )
    choices = [(m.reviewer_id, m.reviewer.email) for m in pool_members if m.reviewer_id not in holding]
    context = {
        "application": application,
        "round": application.round,
        "places": places,
        "holding": lifecycle.HOLDING,
        "lifecycle": lifecycle,
        "form": form or AddByHandForm(choices=choices),
        "reason_form": ReasonForm(),
        "nav": "staff",
    }
    return render(request, "review/staff/application.html", context, status=status)


def _application(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("round", "firm"), pk=pk)


@require_GET
@staff_reader
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _application(pk))


@require_POST
@secretariat
def add_by_hand(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    choices = list(
        ReviewerMembership.objects.filter(round=application.round, active=True).values_list(
            "reviewer_id", "reviewer__email"
        )
    )
    form = AddByHandForm(request.POST, choices=choices)
    if form.is_valid():
        reviewer = get_object_or_404(User, pk=form.cleaned_data["reviewer"])
        try:
            draws.add_by_hand(actor=user_of(request), application=application, reviewer=reviewer)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("審査員を割り当て、メールで知らせました。"))
            return redirect("staff_review:application", pk=application.pk)
    return _application_page(request, application, form=form, status=400)


def _assignment(pk: int) -> Assignment:
    assignment = Assignment.objects.filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


@require_POST
@secretariat
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    try:
        draws.remove(actor=user_of(request), assignment=assignment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("審査員を担当から外しました。"))
    return redirect("staff_review:application", pk=assignment.application_id)


@require_POST
@secretariat
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    try:
        scores.reopen(actor=user_of(request), assignment=assignment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("採点を差し戻し、審査員にメールで知らせました。"))
    return redirect("staff_review:application", pk=assignment.application_id)
