"""The advisor course (アドバイザー研修): modules to read and a quiz with a pass mark, all defined
per programme as data (`[advisor_course]` in the programme file, read as `programme.course`).
An advisor must pass the current version before inviting applicants (see
policies.can_invite_applicants). Grading is pure (grading.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Programme
from dxgrant.programs.quiz import grade, unanswered

from .. import policies
from ..models import CourseProgress, CourseQuizAttempt


@dataclass(frozen=True)
class QuizResult:
    attempt: CourseQuizAttempt
    correct: int
    total: int
    wrong_codes: list[str]


def _locked_progress(actor: User, programme: Programme) -> CourseProgress:
    progress, _created = CourseProgress.objects.get_or_create(
        user=actor, programme=programme, course_version=programme.course.version
    )
    return CourseProgress.objects.select_for_update().get(pk=progress.pk)


@transaction.atomic
def mark_module_read(*, actor: User, programme: Programme, module_code: str) -> CourseProgress:
    """Record that the advisor read a module (with an audit entry the first time). Only the
    advisor themselves, as a member of a firm of the programme; unknown modules refused."""
    policies.can_take_course(actor, programme).require()
    if module_code not in {m.code for m in programme.course.modules}:
        raise ValidationError(_("この研修の単元ではありません。"))
    progress = _locked_progress(actor, programme)
    if module_code not in progress.modules_read:
        progress.modules_read = [*progress.modules_read, module_code]
        progress.save(update_fields=["modules_read"])
        audit_record(
            actor=actor,
            action="advisor_course.module_read",
            obj=progress,
            changes={"module": module_code, "course_version": progress.course_version},
        )
    return progress


@transaction.atomic
def submit_course_quiz(*, actor: User, programme: Programme, answers: dict[str, str]) -> QuizResult:
    """Score the advisor's own answers. Refused until every module is read, and for anyone
    who is not a member of a firm of this programme. Passing once is enough for this version."""
    policies.can_take_course(actor, programme).require()
    course = programme.course
    progress = _locked_progress(actor, programme)
    if any(m.code not in progress.modules_read for m in course.modules):
        raise ValidationError(_("すべての単元を読んでから確認テストを受けてください。"))
    if unanswered(course.quiz, answers):
        raise ValidationError(_("すべての問題に答えてください。"))
    result = grade(course.quiz, answers, course.pass_mark_percent)
    attempt = CourseQuizAttempt.objects.create(
        progress=progress,
        answers={q.code: answers[q.code] for q in course.quiz},
        score_percent=result.score_percent,
        passed=result.passed,
    )
    progress.best_score_percent = max(progress.best_score_percent or 0, result.score_percent)
    fields = ["best_score_percent"]
    if result.passed and progress.passed_at is None:
        progress.passed_at = timezone.now()
        fields.append("passed_at")
    progress.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="advisor_course.quiz_taken",
        obj=progress,
        changes={
            "score_percent": result.score_percent,
            "passed": result.passed,
            "course_version": progress.course_version,
        },
    )
    return QuizResult(attempt, result.correct, result.total, result.wrong_codes)
