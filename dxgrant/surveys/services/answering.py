"""The applicant's people answer a survey section by section, then submit it.

Callers: the applicant's people of the invited application (`policies.can_answer`); never an
advisor or staff. A section is saved whole: if any answer is refused, nothing of the section is
saved and every problem is named beside its question (the answers saved before stay). Submitting
needs every required question answered; after it the answers are read-only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.editing import expect_revision
from dxgrant.core.i18n import localised
from dxgrant.integrity.services import audit_record

from .. import policies, survey_rules
from ..models import SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveySection


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.pk}"


def _locked(invitation: SurveyInvitation, actor: User) -> SurveyInvitation:
    locked = SurveyInvitation.objects.select_for_update().select_related("application").get(pk=invitation.pk)
    policies.can_answer(actor, locked).require()
    return locked


@transaction.atomic
def save_section(
    *,
    actor: User,
    invitation: SurveyInvitation,
    section: SurveySection,
    raw: Mapping[str, str | Sequence[str]],
    expected_revision: int | None = None,
) -> int:
    """Store the answers to `section`'s questions from `raw` (field name → typed value or picked
    values) as they are (the autosave and the "save" button: nothing is required until
    submitting); an emptied answer is removed. Returns the section's revision after the save
    (`survey_rules.fingerprint` of its answers).

    Refused: an answer a question does not accept (nothing of the section saved); with
    EditConflict (`current`: the stored answers), answers saved since the form was opened at
    `expected_revision`, unless they already are these. `None` (seeding) does not check."""
    locked = _locked(invitation, actor)
    if section.survey_id != locked.survey_id:
        raise ValidationError(_("この調査のセクションではありません。"))
    questions = list(section.questions.order_by("position", "id"))
    cleaned: dict[int, Any] = {}
    problems: dict[str, list[str]] = {}
    for question in questions:
        try:
            cleaned[question.pk] = survey_rules.clean_answer(question.spec, raw.get(field_name(question)))
        except survey_rules.AnswerError as exc:
            problems[field_name(question)] = [f"{localised(question, 'text')}: {exc}"]
    if problems:
        raise ValidationError(problems)
    kept = {pk: value for pk, value in cleaned.items() if survey_rules.answered(value)}
    stored = dict(
        SurveyAnswer.objects.filter(invitation=locked, question_id__in=[q.pk for q in questions]).values_list(
            "question_id", "value"
        )
    )
    if stored == kept:
        # Nothing to change (a save repeating what an autosave just stored): no audit entry.
        return survey_rules.fingerprint(kept)
    if expected_revision is not None:
        expect_revision(survey_rules.fingerprint(stored), expected_revision, current=stored)
    SurveyAnswer.objects.filter(invitation=locked, question_id__in=list(stored)).exclude(
        question_id__in=list(kept)
    ).delete()
    for pk, value in kept.items():
        SurveyAnswer.objects.update_or_create(
            invitation=locked, question_id=pk, defaults={"value": value, "updated_by": actor}
        )
    if locked.started_at is None:
        locked.started_at = timezone.now()
        locked.save(update_fields=["started_at"])
    audit_record(
        actor=actor,
        action="surveys.section_saved",
        obj=locked,
        changes={"section": section.pk, "answers": {str(pk): value for pk, value in kept.items()}},
    )
    return survey_rules.fingerprint(kept)


@transaction.atomic
def submit(*, actor: User, invitation: SurveyInvitation) -> SurveyInvitation:
    """Submit the answers. Refused while a required question is unanswered (each one named)."""
    locked = _locked(invitation, actor)
    questions = list(
        SurveyQuestion.objects.filter(section__survey_id=locked.survey_id).order_by(
            "section__position", "position"
        )
    )
    answers = dict(SurveyAnswer.objects.filter(invitation=locked).values_list("question_id", "value"))
    missing = survey_rules.missing_required([q.spec for q in questions], answers)
    if missing:
        by_pk = {q.pk: q for q in questions}
        raise ValidationError(
            [
                _("「%(question)s」に回答してください（回答必須）。")
                % {"question": localised(by_pk[pk], "text")}
                for pk in missing
            ]
        )
    now = timezone.now()
    locked.submitted_at, locked.submitted_by = now, actor
    locked.started_at = locked.started_at or now
    locked.save(update_fields=["submitted_at", "submitted_by", "started_at"])
    audit_record(actor=actor, action="surveys.submitted", obj=locked, changes={"answers": len(answers)})
    invitation.submitted_at, invitation.submitted_by = locked.submitted_at, actor
    return locked
