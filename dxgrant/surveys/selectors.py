"""Reads for the survey pages, filtered by who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from dxgrant.accounts.models import Visitor
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import applications_visible_to
from dxgrant.core.i18n import localised

from . import survey_rules
from .models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveySection

# A round's awardees: the applications that accepted the grant, and those further on.
AWARDEE_STATES = (workflow.ACCEPTED, workflow.PAID, workflow.REPORTING, workflow.COMPLETED)


def cohort(filters: dict[str, Any]) -> QuerySet[Application]:
    """The applications a survey with these filters goes to: the round's awardees, narrowed by
    prefecture, industry and state when given."""
    found = Application.objects.filter(round_id=filters["round"], status__in=AWARDEE_STATES)
    if filters.get("prefecture"):
        found = found.filter(prefecture=filters["prefecture"])
    if filters.get("industry"):
        found = found.filter(industry=filters["industry"])
    if filters.get("status"):
        found = found.filter(status=filters["status"])
    return found


def survey_with_questions(pk: int) -> tuple[Survey, list[SurveySection]]:
    """The survey and its sections, each with `.question_list`, in order (3 queries)."""
    survey = get_object_or_404(Survey, pk=pk)
    return survey, sections_of(survey)


def sections_of(survey: Survey) -> list[SurveySection]:
    """The survey's sections, each with `.question_list`, in order (2 queries)."""
    sections = list(survey.sections.order_by("position", "id"))
    questions = list(SurveyQuestion.objects.filter(section__survey=survey).order_by("position", "id"))
    for section in sections:
        section.question_list = [q for q in questions if q.section_id == section.pk]  # type: ignore[attr-defined]
    return sections


def counts(survey: Survey) -> dict[str, int]:
    """Invited, started (not yet submitted) and submitted, in one query."""
    return survey.invitations.aggregate(
        invited=Count("pk"),
        started=Count("pk", filter=Q(started_at__isnull=False, submitted_at__isnull=True)),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
    )


def invitations_of(survey: Survey) -> QuerySet[SurveyInvitation]:
    return survey.invitations.select_related("application")


def invitation_for(user: Visitor, application_pk: int, survey_pk: int) -> SurveyInvitation:
    """The invitation of application `application_pk` to survey `survey_pk`, if the person may see
    the application; 404 for missing and forbidden alike."""
    invitation = (
        SurveyInvitation.objects.select_related(
            "survey", "application", "application__round", "application__firm", "application__engagement"
        )
        .filter(survey_id=survey_pk, application_id=application_pk)
        .filter(application__in=applications_visible_to(user).values("pk"))
        .first()
    )
    if invitation is None:
        raise Http404("survey invitation")
    return invitation


def answers_of(invitation: SurveyInvitation) -> dict[int, Any]:
    """The stored answers by question id."""
    return dict(SurveyAnswer.objects.filter(invitation=invitation).values_list("question_id", "value"))


def task_items(sections: list[SurveySection], answers: dict[int, Any]) -> list[tuple[SurveySection, str]]:
    """Each section with its status (未着手/入力中/完了), no query."""
    return [
        (section, survey_rules.section_status([q.spec for q in section.question_list], answers))  # type: ignore[attr-defined]
        for section in sections
    ]


def title(obj: Survey | SurveySection) -> str:
    return localised(obj, "title")


@dataclass(frozen=True)
class ResponsePage:
    """One company's answers for the staff page: each section with `.question_list`, each
    question with `.answer` (the answer as the export writes it, "" when unanswered)."""

    invitation: SurveyInvitation
    sections: list[SurveySection]
    answered: int
    questions: int


def response_page(survey_pk: int, invitation_pk: int) -> ResponsePage:
    """For staff readers (the view's door): the invitation of survey `survey_pk`, its survey's
    questions and its answers (4 queries); 404 when the invitation is not the survey's."""
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("survey", "application"),
        pk=invitation_pk,
        survey_id=survey_pk,
    )
    sections = sections_of(invitation.survey)
    answers = answers_of(invitation)
    answered = total = 0
    for section in sections:
        for question in section.question_list:  # type: ignore[attr-defined]
            question.answer = survey_rules.export_cell(question.kind, answers.get(question.pk))
            total += 1
            answered += bool(question.answer)
    return ResponsePage(invitation=invitation, sections=sections, answered=answered, questions=total)
