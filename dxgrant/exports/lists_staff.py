"""The secretariat's working lists: the screening queue (/staff/applications/screening/) and the
surveys (/staff/surveys/)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.applications import screening_selectors
from dxgrant.applications.models import Application
from dxgrant.applications.policies import can_use_staff_pages
from dxgrant.core.i18n import localised
from dxgrant.programs.models import Round
from dxgrant.surveys import exports as survey_exports
from dxgrant.surveys.models import Survey, SurveyInvitation

from .columns import Column, ListExport, Params

# --- the screening queue (/staff/applications/screening/?round=<code>) ---


def _chosen_round(params: Params) -> Round | None:
    """The page's round: ?round=<code>, else the round of the oldest application waiting, else
    the newest round (as the queue page opens)."""
    code = params.get("round", "")
    if code:
        chosen = Round.objects.filter(code=code).first()
        if chosen is not None:
            return chosen
    waiting = screening_selectors.oldest_waiting_round_id()
    if waiting is not None:
        return Round.objects.filter(pk=waiting).first()
    return Round.objects.order_by("-id").first()


def _screening_queue(user: Visitor, params: Params) -> QuerySet[Any]:
    chosen = _chosen_round(params) if can_use_staff_pages(user) else None
    if chosen is None:
        return Application.objects.none()
    items = len(screening_selectors.items_of(chosen))
    return (
        screening_selectors.queue(chosen)
        .annotate(items_total=Value(items, output_field=IntegerField()))
        .order_by("submitted_at", "id")
    )


SCREENING_QUEUE = ListExport(
    code="screening-queue",
    title=_("形式審査の待ち行列"),
    list_url="staff_applications:screening_queue",
    policy=can_use_staff_pages,
    queryset=_screening_queue,
    columns=(
        Column(_("申請ID"), lambda a: a.pk),
        Column(_("受付番号"), lambda a: a.receipt_number or ""),
        Column(_("会社名・屋号"), lambda a: a.company_name),
        Column(_("認定事業者"), lambda a: a.firm.name if a.firm_id else ""),
        Column(_("状態"), lambda a: a.get_status_display()),
        Column(_("提出日時"), lambda a: a.submitted_at),
        Column(_("確認済みの項目"), lambda a: a.confirmed),
        Column(_("確認する項目"), lambda a: a.items_total),
    ),
)


# --- surveys (/staff/surveys/) ---


def _surveys(user: Visitor, params: Params) -> QuerySet[Any]:
    if not can_read_as_staff(user):
        return Survey.objects.none()
    return Survey.objects.annotate(
        invited=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__submitted_at__isnull=False)),
    ).order_by("-pk")


SURVEYS = ListExport(
    code="surveys",
    title=_("調査"),
    list_url="surveys_staff:list",
    policy=can_read_as_staff,
    queryset=_surveys,
    columns=(
        Column(_("調査ID"), lambda s: s.pk),
        Column(_("調査名"), lambda s: localised(s, "title")),
        Column(_("回答期限"), lambda s: s.due_on),
        Column(_("状態"), lambda s: s.get_status_display()),
        Column(_("送付日時"), lambda s: s.sent_at),
        Column(_("送付先"), lambda s: s.invited),
        Column(_("提出済み"), lambda s: s.answered),
    ),
)


# --- a survey's answers (/staff/surveys/<pk>/?survey=<pk>): one column per question ---


def _survey_id(params: Params) -> int | None:
    value = params.get("survey", "")
    return int(value) if value.isdigit() else None


def _invitations(user: Visitor, params: Params) -> QuerySet[Any]:
    survey = _survey_id(params)
    if survey is None or not can_read_as_staff(user):
        return SurveyInvitation.objects.none()
    return SurveyInvitation.objects.filter(survey_id=survey)


def _answers(params: Params) -> Iterator[list[Any]]:
    """The header, then a row per invitation (surveys/exports.rows, read in chunks)."""
    survey = Survey.objects.filter(pk=_survey_id(params) or 0).first()
    if survey is None:
        return iter([[_("受付番号")]])
    return survey_exports.rows(survey)


SURVEY_ANSWERS = ListExport(
    code="survey-answers",
    title=_("調査の回答"),
    list_url="surveys_staff:list",
    policy=can_read_as_staff,
    queryset=_invitations,
    columns=(),
    generate=_answers,
)
