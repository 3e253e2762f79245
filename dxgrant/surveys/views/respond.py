"""The applicant's survey pages (under /applications/<pk>/surveys/<survey_pk>/): the survey as a
task list of its sections, each section's answers (saved section by section), and submitting.
Only the applicant's own people: an advisor or staff member who may see the application gets 403
(the reason on the page); after submitting, the answers are shown read-only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.applications.completeness import STATUS_LABELS
from dxgrant.applications.policies import side_of
from dxgrant.applications.views.common import user_of
from dxgrant.core.editing import EditConflict, autosave_status, is_autosave, posted_revision, refusal_status
from dxgrant.core.forms import add_errors
from dxgrant.core.i18n import localised

from .. import policies, selectors, survey_rules
from ..forms import SectionAnswersForm
from ..models import SurveyInvitation
from ..services import answering

AUTOSAVE_STATUS = "surveys/_autosave_status.html"


def _invitation(request: HttpRequest, pk: int, survey_pk: int) -> SurveyInvitation:
    """The invitation, for the applicant's people only (404 if they may not see the application,
    403 with the reason for an advisor or staff)."""
    invitation = selectors.invitation_for(request.user, pk, survey_pk)
    if not side_of(request.user, invitation.application).is_applicant:
        raise PermissionDenied(_("調査への回答は、申請者ご本人のみが行えます。"))
    return invitation


@login_required
@require_GET
def respond(request: HttpRequest, pk: int, survey_pk: int) -> HttpResponse:
    invitation = _invitation(request, pk, survey_pk)
    survey = invitation.survey
    sections = selectors.sections_of(survey)
    answers = selectors.answers_of(invitation)
    items = []
    for section, status in selectors.task_items(sections, answers):
        items.append(
            {
                "code": section.pk,
                "label": localised(section, "title"),
                "status": status,
                "status_label": STATUS_LABELS[status],
                "url": reverse("surveys:section", args=[pk, survey_pk, section.pk]),
            }
        )
    done = sum(1 for item in items if item["status"] == "completed")
    context = {
        "invitation": invitation,
        "application": invitation.application,
        "survey": survey,
        "sections": items,
        "done": done,
        "submitted": invitation.submitted_at is not None,
    }
    return render(request, "surveys/respond.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, survey_pk: int, section_pk: int) -> HttpResponse:
    invitation = _invitation(request, pk, survey_pk)
    survey = invitation.survey
    sections = selectors.sections_of(survey)
    current = next((s for s in sections if s.pk == section_pk), None)
    if current is None:
        raise Http404("section")
    questions = current.question_list  # type: ignore[attr-defined]
    answers = selectors.answers_of(invitation)
    form = SectionAnswersForm(request.POST or None, questions=questions, answers=answers)
    may = policies.can_answer(request.user, invitation)
    autosave = is_autosave(request)
    revision = survey_rules.fingerprint({q.pk: answers[q.pk] for q in questions if q.pk in answers})
    conflict: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        may.require()
        form.is_valid()
        revision = posted_revision(request)
        try:
            saved = answering.save_section(
                actor=user_of(request),
                invitation=invitation,
                section=current,
                raw=form.raw(),
                expected_revision=revision,
            )
        except EditConflict as exc:
            if autosave:
                return autosave_status(request, AUTOSAVE_STATUS, conflict=True)
            form.add_error(None, exc.messages[0])
            conflict = [
                (localised(q, "text"), survey_rules.export_cell(q.kind, exc.current[q.pk]))
                for q in questions
                if q.pk in exc.current
            ]
            # Shown what the other person saved, a deliberate second save may replace it.
            revision = exc.current_revision if exc.current_revision is not None else revision
            status = refusal_status(exc)
        except ValidationError as exc:
            if autosave:
                return autosave_status(request, AUTOSAVE_STATUS, invalid=True, errors=exc.messages)
            add_errors(form, exc)
            status = 400
        else:
            if autosave:
                return autosave_status(request, AUTOSAVE_STATUS, revision=saved)
            messages.success(request, _("回答を保存しました。"))
            return redirect("surveys:respond", pk=pk, survey_pk=survey_pk)
    if not may:
        for name in form.fields:
            form.fields[name].disabled = True
    context = {
        "invitation": invitation,
        "application": invitation.application,
        "survey": survey,
        "section": current,
        "form": form,
        "may": may,
        "revision": revision,
        "conflict": conflict,
    }
    return render(request, "surveys/section.html", context, status=status)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, survey_pk: int) -> HttpResponse:
    invitation = _invitation(request, pk, survey_pk)
    try:
        answering.submit(actor=user_of(request), invitation=invitation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("surveys:respond", pk=pk, survey_pk=survey_pk)
    messages.success(request, _("調査の回答を提出しました。ご協力ありがとうございました。"))
    return redirect("surveys:respond", pk=pk, survey_pk=survey_pk)
