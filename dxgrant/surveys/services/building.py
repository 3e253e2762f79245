"""The secretariat builds a survey: its title, due date, sections and questions, while a draft.

Callers: the secretariat (`can_act_as_secretariat`). Refused: any change once the survey is sent
(its questions are frozen: answers refer to them); a question whose choices or limits do not fit
its kind. Each change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.accounts.policies import can_act_as_secretariat
from dxgrant.integrity.services import audit_record

from .. import policies, survey_rules
from ..models import Survey, SurveyQuestion, SurveySection


def _editable(survey: Survey) -> Survey:
    """The survey locked for the change, refused once sent."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    decision = policies.can_edit_survey(locked)
    if not decision:
        raise ValidationError(str(decision.reason))
    return locked


def _check_due(due_on: dt.date) -> None:
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("回答期限には今日以降の日付を指定してください。")})


@transaction.atomic
def create_survey(*, actor: User, title_ja: str, title_en: str, description: str, due_on: dt.date) -> Survey:
    can_act_as_secretariat(actor).require()
    _check_due(due_on)
    survey = Survey(
        title_ja=title_ja, title_en=title_en, description=description, due_on=due_on, created_by=actor
    )
    survey.full_clean(exclude=["created_by"])
    survey.save()
    audit_record(actor=actor, action="surveys.survey_created", obj=survey, changes={"title_ja": title_ja})
    return survey


@transaction.atomic
def update_survey(
    *, actor: User, survey: Survey, title_ja: str, title_en: str, description: str, due_on: dt.date
) -> Survey:
    can_act_as_secretariat(actor).require()
    survey = _editable(survey)
    _check_due(due_on)
    survey.title_ja, survey.title_en, survey.description, survey.due_on = (
        title_ja,
        title_en,
        description,
        due_on,
    )
    survey.full_clean(exclude=["created_by"])
    survey.save()
    audit_record(
        actor=actor,
        action="surveys.survey_updated",
        obj=survey,
        changes={"title_ja": title_ja, "due_on": due_on.isoformat()},
    )
    return survey


@transaction.atomic
def add_section(*, actor: User, survey: Survey, title_ja: str, title_en: str = "") -> SurveySection:
    can_act_as_secretariat(actor).require()
    survey = _editable(survey)
    last = survey.sections.aggregate(m=Max("position"))["m"] or 0
    section = SurveySection(survey=survey, position=last + 1, title_ja=title_ja, title_en=title_en)
    section.full_clean(exclude=["survey"])
    section.save()
    audit_record(actor=actor, action="surveys.section_added", obj=section, changes={"title_ja": title_ja})
    return section


@transaction.atomic
def add_question(
    *,
    actor: User,
    section: SurveySection,
    kind: str,
    text_ja: str,
    text_en: str = "",
    required: bool = False,
    choices: list[str] | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> SurveyQuestion:
    can_act_as_secretariat(actor).require()
    _editable(section.survey)
    choices = [c.strip() for c in (choices or []) if c.strip()]
    problems = survey_rules.check_definition(kind, choices, min_value, max_value)
    if problems:
        raise ValidationError(problems)
    last = section.questions.aggregate(m=Max("position"))["m"] or 0
    question = SurveyQuestion(
        section=section,
        position=last + 1,
        kind=kind,
        text_ja=text_ja,
        text_en=text_en,
        required=required,
        choices=choices,
        min_value=min_value,
        max_value=max_value,
    )
    question.full_clean(exclude=["section", "choices"])
    question.save()
    changes: dict[str, Any] = {"kind": kind, "text_ja": text_ja, "required": required, "choices": choices}
    audit_record(actor=actor, action="surveys.question_added", obj=question, changes=changes)
    return question


@transaction.atomic
def remove_question(*, actor: User, question: SurveyQuestion) -> None:
    can_act_as_secretariat(actor).require()
    _editable(question.section.survey)
    audit_record(
        actor=actor, action="surveys.question_removed", obj=question, changes={"text_ja": question.text_ja}
    )
    question.delete()
    _close_gap(question.section_id, question.position)


# Positions are shifted past every stored one first, then into place: two UPDATEs whatever the
# count, and the (section, position) unique constraint holds after each row on every database.
_OUT_OF_THE_WAY = 1_000_000


def _close_gap(section_id: int, removed: int) -> None:
    """The section's questions after position `removed` move up one: positions stay 1..n."""
    later = SurveyQuestion.objects.filter(section_id=section_id, position__gt=removed)
    later.update(position=F("position") + _OUT_OF_THE_WAY)
    SurveyQuestion.objects.filter(section_id=section_id, position__gt=_OUT_OF_THE_WAY).update(
        position=F("position") - _OUT_OF_THE_WAY - 1
    )


UP = "up"
DOWN = "down"


@transaction.atomic
def move_question(*, actor: User, question: SurveyQuestion, direction: str) -> SurveyQuestion:
    """Swap the question with its neighbour above (`UP`) or below (`DOWN`) in its section.

    Callers: the secretariat. Refused: a sent survey; the first question up or the last down."""
    can_act_as_secretariat(actor).require()
    _editable(question.section.survey)
    if direction not in (UP, DOWN):
        raise ValidationError(_("移動の向きが不正です。"))
    siblings = SurveyQuestion.objects.filter(section_id=question.section_id)
    question = siblings.get(pk=question.pk)
    if direction == UP:
        neighbour = siblings.filter(position__lt=question.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=question.position).order_by("position").first()
    if neighbour is None:
        if direction == UP:
            raise ValidationError(_("この質問はセクションの先頭にあるため、上に移動できません。"))
        raise ValidationError(_("この質問はセクションの末尾にあるため、下に移動できません。"))
    mine, theirs = question.position, neighbour.position
    siblings.filter(pk=question.pk).update(position=theirs + _OUT_OF_THE_WAY)
    siblings.filter(pk=neighbour.pk).update(position=mine)
    siblings.filter(pk=question.pk).update(position=theirs)
    question.position = theirs
    audit_record(
        actor=actor,
        action="surveys.question_moved",
        obj=question,
        changes={"text_ja": question.text_ja, "from": mine, "to": theirs},
    )
    return question
