"""The comprehension quiz after training (理解度確認テスト), answered by the attendee themselves."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record
from dxgrant.programs import quiz

from .. import policies, selectors
from ..models import Engagement, TrainingQuizAttempt


@transaction.atomic
def submit_quiz(
    *,
    actor: User,
    engagement: Engagement,
    answers: Mapping[str, str],
    submission_token: uuid.UUID,
) -> TrainingQuizAttempt:
    """Grade and store the attendee's own answers to the comprehension quiz.

    Callers: a member of the applicant company who attended at least one session themselves
    (`can_take_quiz`); advisors and staff are refused. Refused: a person who already passed.
    The same `submission_token` twice returns the first attempt.
    """
    existing = TrainingQuizAttempt.objects.filter(submission_token=submission_token).first()
    if existing is not None and existing.user_id == actor.pk:
        return existing
    engagement = Engagement.objects.select_related("round").prefetch_related("members").get(pk=engagement.pk)
    attended = selectors.has_attended(actor, engagement)
    policies.can_take_quiz(actor, engagement, has_attended=attended).require()
    if TrainingQuizAttempt.objects.filter(engagement=engagement, user=actor, passed=True).exists():
        raise ValidationError(_("確認テストにはすでに合格しています。"))
    training = engagement.round.rules.training
    kept = quiz.kept_answers(training.quiz, answers)
    result = quiz.grade(training.quiz, kept, training.pass_mark_percent)
    score, passed = result.score_percent, result.passed
    attempt = TrainingQuizAttempt.objects.create(
        engagement=engagement,
        user=actor,
        answers=kept,
        score_percent=score,
        passed=passed,
        submission_token=submission_token,
    )
    audit_record(
        actor=actor,
        action="support.training_quiz_answered",
        obj=attempt,
        changes={"engagement": engagement.pk, "score_percent": score, "passed": passed},
    )
    return attempt
