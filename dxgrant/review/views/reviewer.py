"""/review/: the reviewer's work queue, the round's confidentiality terms, the conflict
declaration and the score sheet (autosave with htmx; a normal submit without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.applications.presentation import present_snapshot
from dxgrant.core.editing import EditConflict, autosave_status, is_autosave, posted_revision, refusal_status
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.gates import requires
from dxgrant.core.pagination import KeysetPage, keyset_page
from dxgrant.programs.models import Round

from .. import lifecycle, selectors
from ..forms import DeclarationForm, ScoreForm
from ..models import Assignment
from ..policies import can_use_reviewer_pages
from ..services import conflicts, pool, scores
from .common import user_of

PAGE_SIZE = 50
reviewer_only = requires(can_use_reviewer_pages)


@require_GET
@reviewer_only
def queue(request: HttpRequest) -> HttpResponse:
    page: KeysetPage[Assignment] = keyset_page(
        selectors.queue(request.user),
        cursor=request.GET.get("after", ""),
        size=PAGE_SIZE,
        key="id",
        descending=False,
    )
    context = {
        "assignments": page.items,
        "next_after": page.next_cursor,
        "awaiting_terms": selectors.rounds_awaiting_terms(request.user),
        "lifecycle": lifecycle,
    }
    return render(request, "review/queue.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_only
def terms(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = Round.objects.filter(code=code).first()
    membership = selectors.membership_of(request.user, round_obj) if round_obj else None
    if round_obj is None or membership is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            pool.accept_terms(
                actor=user_of(request), round_obj=round_obj, terms_sha256=request.POST.get("terms_sha256", "")
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("守秘義務の確認に同意しました。担当する申請を確認できます。"))
            return redirect("review:queue")
    ja, en = selectors.terms_text(round_obj)
    context = {
        "round": round_obj,
        "membership": membership,
        "terms_ja": ja,
        "terms_en": en,
        "terms_sha256": selectors.terms_sha256(round_obj),
        "error": error,
    }
    return render(request, "review/terms.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@reviewer_only
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.user, pk)
    if assignment.status != lifecycle.AWAITING_DECLARATION:
        return redirect("review:score", pk=assignment.pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        conflict = form.cleaned_data["conflict"] == "yes"
        try:
            conflicts.declare(actor=user_of(request), assignment=assignment, conflict=conflict)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if conflict:
                messages.success(
                    request, _("利益相反を申告しました。この申請はほかの審査員に割り当て直します。")
                )
                return redirect("review:queue")
            messages.success(request, _("利益相反はないと申告しました。採点を始められます。"))
            return redirect("review:score", pk=assignment.pk)
    context = {"assignment": assignment, "application": assignment.application, "form": form}
    return render(
        request, "review/declare.html", context, status=form_status(request) if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@reviewer_only
def score(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.user, pk)
    if assignment.status == lifecycle.AWAITING_DECLARATION:
        return redirect("review:declare", pk=assignment.pk)
    application = assignment.application
    round_obj = application.round
    record = assignment.score
    locked = assignment.status == lifecycle.SUBMITTED
    status = 200
    revision = record.revision
    if request.method == "POST" and not locked:
        form = ScoreForm(request.POST, round_obj=round_obj)
        revision = posted_revision(request)
        autosave = is_autosave(request)
        submitting = "submit" in request.POST and not autosave
        if form.is_valid():
            values, comments, overall = form.values()
            act = scores.submit if submitting else scores.save_draft
            try:
                saved = act(
                    actor=user_of(request),
                    assignment=assignment,
                    revision=revision,
                    scores=values,
                    comments=comments,
                    overall_comment=overall,
                )
            except EditConflict as exc:
                if autosave:
                    return autosave_status(request, "review/_autosave_status.html", conflict=True)
                form.add_error(None, exc.messages[0])
                revision = exc.current_revision if exc.current_revision is not None else revision
                status = refusal_status(exc)
            except ValidationError as exc:
                if autosave:
                    return autosave_status(request, "review/_autosave_status.html", invalid=True)
                add_errors(form, exc)
                status = 400
            else:
                if autosave:
                    return autosave_status(request, "review/_autosave_status.html", revision=saved.revision)
                if submitting:
                    messages.success(request, _("採点を提出しました。提出後は変更できません。"))
                else:
                    messages.success(request, _("下書きを保存しました。"))
                return redirect("review:score", pk=assignment.pk)
        else:
            status = 400
    else:
        form = ScoreForm(initial=ScoreForm.initial_from(record), round_obj=round_obj)
    version = application.versions.order_by("-number").first()
    context = {
        "assignment": assignment,
        "application": application,
        "round": round_obj,
        "blind": round_obj.rules.review.blind,
        "record": record,
        "form": form,
        "locked": locked,
        "revision": revision,
        "version": version,
        "full": present_snapshot(version.snapshot, round_obj) if version else None,
    }
    return render(request, "review/score.html", context, status=status)
