"""The secretariat's survey pages (/staff/surveys/): the list and a new survey; a survey's page
(while a draft: its questions and the forms that build and send it; once sent: invited, started
and submitted counts and the companies with their status); the CSV of the answers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.applications.views.common import user_of
from dxgrant.core.forms import add_errors
from dxgrant.core.gates import requires
from dxgrant.core.pagination import KeysetPage, keyset_page

from .. import exports, selectors
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
            "question_form": bound.get("question") or QuestionForm(survey=survey),
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


def _refused(
    request: HttpRequest, survey: Survey, name: str, form: BaseForm, exc: ValidationError
) -> HttpResponse:
    add_errors(form, exc)
    return _detail(request, survey, {name: form})


@require_POST
@requires(can_act_as_secretariat)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SurveyForm(request.POST, instance=Survey.objects.get(pk=pk))
    if not form.is_valid():
        return _detail(request, survey, {"survey": form})
    try:
        building.update_survey(actor=user_of(request), survey=survey, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, survey, "survey", form, exc)
    messages.success(request, _("調査の内容を保存しました。"))
    return redirect("surveys_staff:detail", pk=pk)


@require_POST
@requires(can_act_as_secretariat)
def add_section(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _detail(request, survey, {"section": form})
    try:
        building.add_section(actor=user_of(request), survey=survey, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, survey, "section", form, exc)
    messages.success(request, _("セクションを追加しました。"))
    return redirect("surveys_staff:detail", pk=pk)


@require_POST
@requires(can_act_as_secretariat)
def add_question(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = QuestionForm(request.POST, survey=survey)
    if not form.is_valid():
        return _detail(request, survey, {"question": form})
    data = form.cleaned_data
    try:
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
    except ValidationError as exc:
        return _refused(request, survey, "question", form, exc)
    messages.success(request, _("質問を追加しました。"))
    return redirect("surveys_staff:detail", pk=pk)


@require_POST
@requires(can_act_as_secretariat)
def remove_question(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_object_or_404(
        SurveyQuestion.objects.select_related("section__survey"), pk=question_pk, section__survey_id=pk
    )
    try:
        building.remove_question(actor=user_of(request), question=question)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("質問を削除しました。"))
    return redirect("surveys_staff:detail", pk=pk)


@require_POST
@requires(can_act_as_secretariat)
def send(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    form = SendForm(request.POST)
    if not survey.is_draft:
        messages.info(request, _("この調査は送付済みです。"))
        return redirect("surveys_staff:detail", pk=pk)
    if not form.is_valid():
        return _detail(request, survey, {"send": form})
    try:
        made = sending.send_survey(actor=user_of(request), survey=survey, filters=form.filters())
    except ValidationError as exc:
        return _refused(request, survey, "send", form, exc)
    messages.success(request, _("%(n)s社に調査を送付しました。") % {"n": made})
    return redirect("surveys_staff:detail", pk=pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


@require_GET
@requires(can_read_as_staff)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers as CSV (UTF-8 with a BOM for Excel), streamed."""
    survey = get_object_or_404(Survey, pk=pk)
    response = StreamingHttpResponse(_csv_lines(exports.rows(survey)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.csv"'
    return response  # type: ignore[return-value]
