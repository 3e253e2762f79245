"""The advisor course (アドバイザー研修): modules to read and a quiz with a pass mark, all
defined per programme as data (`[advisor_course]` in the programme file). An advisor must pass
the current version before inviting applicants (see policies.can_invite_applicants)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Programme

from .models import CourseProgress, CourseQuizAttempt
from .policies import active_membership


@dataclass(frozen=True)
class QuizResult:
    attempt: CourseQuizAttempt
    correct: int
    total: int
    wrong_codes: list[str]


def course_of(programme: Programme) -> dict[str, Any]:
    course: dict[str, Any] = programme.advisor_course
    return course


def progress_for(user: Any, programme: Programme, *, create: bool = False) -> CourseProgress:
    """The user's progress on the programme's current course version. Reading pages get an
    unsaved blank one if there is none yet; writes create it."""
    keys = {"user": user, "programme": programme, "course_version": int(course_of(programme)["version"])}
    if create:
        return CourseProgress.objects.get_or_create(**keys)[0]
    return CourseProgress.objects.filter(**keys).first() or CourseProgress(**keys, modules_read=[])


def _require_member(actor: Any, programme: Programme) -> None:
    membership = active_membership(actor)
    if membership is None or membership.firm.programme_id != programme.pk:
        raise PermissionDenied(_("アドバイザー研修は、認定事業者に所属するアドバイザーのみが受講できます。"))


def module_codes(programme: Programme) -> list[str]:
    return [m["code"] for m in course_of(programme)["modules"]]


@transaction.atomic
def mark_module_read(*, actor: Any, programme: Programme, module_code: str) -> CourseProgress:
    """Record that the advisor read a module. Only the advisor themselves; unknown modules refused."""
    _require_member(actor, programme)
    if module_code not in module_codes(programme):
        raise ValidationError(_("この研修の単元ではありません。"))
    progress = CourseProgress.objects.select_for_update().get(
        pk=progress_for(actor, programme, create=True).pk
    )
    if module_code not in progress.modules_read:
        progress.modules_read = [*progress.modules_read, module_code]
        progress.save(update_fields=["modules_read"])
    return progress


@transaction.atomic
def submit_course_quiz(*, actor: Any, programme: Programme, answers: dict[str, str]) -> QuizResult:
    """Score the advisor's own answers. Refused until every module is read, and for anyone
    who is not a member of a firm of this programme. Passing once is enough for this version."""
    _require_member(actor, programme)
    course = course_of(programme)
    progress = CourseProgress.objects.select_for_update().get(
        pk=progress_for(actor, programme, create=True).pk
    )
    unread = [code for code in module_codes(programme) if code not in progress.modules_read]
    if unread:
        raise ValidationError(_("すべての単元を読んでから確認テストを受けてください。"))
    questions = course["quiz"]
    unanswered = [q["code"] for q in questions if not answers.get(q["code"])]
    if unanswered:
        raise ValidationError(_("すべての問題に答えてください。"))
    wrong = [q["code"] for q in questions if answers.get(q["code"]) != q["answer"]]
    correct = len(questions) - len(wrong)
    score = correct * 100 // len(questions)
    passed = score >= int(course["pass_mark_percent"])
    attempt = CourseQuizAttempt.objects.create(
        progress=progress,
        answers={q["code"]: answers[q["code"]] for q in questions},
        score_percent=score,
        passed=passed,
    )
    progress.best_score_percent = max(progress.best_score_percent or 0, score)
    fields = ["best_score_percent"]
    if passed and progress.passed_at is None:
        progress.passed_at = timezone.now()
        fields.append("passed_at")
    progress.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="advisor_course.quiz_taken",
        obj=progress,
        changes={"score_percent": score, "passed": passed, "course_version": progress.course_version},
    )
    return QuizResult(attempt, correct, len(questions), wrong)
