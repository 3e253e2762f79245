"""The secretariat's survey pages (/staff/surveys/): the list and a new survey; a survey's page
(while a draft: its questions and the forms that build and send it; once sent: invited, started
and submitted counts and the companies with their status, each linked to its answers); one company's answers. The
answers' CSV / xlsx are the list export "survey-answers" (dxgrant/exports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors
from dxgrant.core.gates import requires
from dxgrant.core.pagination import KeysetPage, keyset_page

from .. import selectors
from ..forms import QuestionForm, SectionForm, SendForm, SurveyForm
from ..models import Survey, SurveyQuestion
from ..services import building, sending

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@requires(can_read_as_staff)
def survey_list(request: HttpRequest) -> HttpResponse:
    """Every survey, newest first; the secretariat starts a new one here."""
    may_build = can_act_as_secretariat(request.user).allowed
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        can_act_as_secretariat(request.user).require()
        if form.is_valid():
            try:
                survey = building.create_survey(actor=user_of(request), **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("調査を作成しました。セクションと質問を追加してください。"))
                return redirect("surveys_staff:detail", pk=survey.pk)
    page: KeysetPage[Survey] = keyset_page(
        Survey.objects.all(), cursor=request.GET.get("before"), size=PAGE_SIZE
    )
    context = {"page": page, "form": form, "may_build": may_build}
    return render(request, "surveys/staff/list.html", context, status=400 if form.errors else 200)


def _detail(request: HttpRequest, survey: Survey, bound: dict[str, BaseForm] | None = None) -> HttpResponse:
    """The survey's page, with any form the POST bound (and refused) in place of a blank one."""
    bound = bound or {}
    sections = selectors.sections_of(survey)
    context: dict[str, Any] = {
        "survey": survey,
        "sections": sections,
        "may_build": can_act_as_secretariat(request.user).allowed and survey.is_draft,
        "may_send": can_act_as_secretariat(request.user).allowed,
    }
    if survey.is_draft:
        context |= {
            "survey_form": bound.get("survey") or SurveyForm(instance=survey),
            "section_form": bound.get("section") or SectionForm(),
            # The newest section chosen: questions are usually added to the section just added.
            "question_form": bound.get("question")
            or QuestionForm(survey=survey, initial={"section": sections[-1].pk} if sections else None),
            "send_form": bound.get("send") or SendForm(),
        }
    else:
        context |= {
            "counts": selectors.counts(survey),
            "page": keyset_page(
                selectors.invitations_of(survey),
                cursor=request.GET.get("after"),
                size=PAGE_SIZE,
                descending=False,
            ),
        }
    return render(request, "surveys/staff/detail.html", context, status=400 if bound else 200)


@require_GET
@requires(can_read_as_staff)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Survey, pk=pk))


def _bound_act(
    request: HttpRequest, survey: Survey, name: str, form: BaseForm, act: Callable[[], str]
) -> HttpResponse:
    """The shape of every builder POST with a form: an invalid form, or the service's refusal
    beside the field it names, shows the survey's page with the form as typed (400); otherwise
    `act` (which calls the service and answers the success message) and back to the page."""
    if not form.is_valid():
        return _detail(request, survey, {name: form})
    try:
        done = act()
    except ValidationError as exc:
        add_errors(form, exc)
        return _detail(request, survey, {name: form})
    messages.success(request, done)
    return redirect("surveys_staff:detail", pk=survey.pk)


def _question_act(
    request: HttpRequest, pk: int, question_pk: int, act: Callable[[SurveyQuestion], str]
) -> HttpResponse:
    """A button on one question of the builder (remove, move): a refusal is a message on the page."""
    question = get_object_or_404(
        SurveyQuestion.objects.select_related("section__survey"), pk=question_pk, section__survey_id=pk
    )
    try:
        done = act(question)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('surveys_staff:detail', args=[pk])}#question-{question_pk}")


@require_POST
@requires(can_act_as_secretariat)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST, instance=Survey.objects.get(pk=pk))

    def act() -> str:
        building.update_survey(actor=user_of(request), survey=survey, **form.cleaned_data)
        return _("調査の内容を保存しました。")

    return _bound_act(request, survey, "survey", form, act)


@require_POST
@requires(can_act_as_secretariat)
def add_section(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SectionForm(request.POST)

    def act() -> str:
        building.add_section(actor=user_of(request), survey=survey, **form.cleaned_data)
        return _("セクションを追加しました。")

    return _bound_act(request, survey, "section", form, act)


@require_POST
@requires(can_act_as_secretariat)
def add_question(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = QuestionForm(request.POST, survey=survey)

    def act() -> str:
        data = form.cleaned_data
        building.add_question(
            actor=user_of(request),
            section=data["section"],
            kind=data["kind"],
            text_ja=data["text_ja"],
            text_en=data["text_en"],
            required=data["required"],
            choices=form.choice_list(),
            min_value=data["min_value"],
            max_value=data["max_value"],
        )
        return _("質問を追加しました。")

    return _bound_act(request, survey, "question", form, act)


@require_POST
@requires(can_act_as_secretariat)
def remove_question(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    def act(question: SurveyQuestion) -> str:
        building.remove_question(actor=user_of(request), question=question)
        return _("質問を削除しました。")

    return _question_act(request, pk, question_pk, act)


@require_POST
@requires(can_act_as_secretariat)
def move_question(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """The 上へ / 下へ buttons of the builder (`direction` = up or down)."""

    def act(question: SurveyQuestion) -> str:
        building.move_question(
            actor=user_of(request), question=question, direction=request.POST.get("direction", "")
        )
        return _("質問の順番を変更しました。")

    return _question_act(request, pk, question_pk, act)


@require_POST
@requires(can_act_as_secretariat)
def send(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if not survey.is_draft:
        messages.info(request, _("この調査は送付済みです。"))
        return redirect("surveys_staff:detail", pk=pk)
    form = SendForm(request.POST)

    def act() -> str:
        made = sending.send_survey(actor=user_of(request), survey=survey, filters=form.filters())
        return _("%(n)s社に調査を送付しました。") % {"n": made}

    return _bound_act(request, survey, "send", form, act)


@require_GET
@requires(can_read_as_staff)
def response(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """One company's answers, question by question in the survey's order."""
    page = selectors.response_page(pk, invitation_pk)
    return render(request, "surveys/staff/response.html", {"page": page, "survey": page.invitation.survey})
