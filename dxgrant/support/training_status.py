"""Where an applicant company's training stands (training_status), and its support record as
the conditions of submission read it (support_record): reads of the support app that the
selectors, the advisor's lists and the application's task list share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from .models import (
    Attendance,
    Engagement,
    HearingRecord,
    HearingResponse,
    TrainingQuizAttempt,
    TrainingSession,
)


@dataclass(frozen=True)
class PersonTraining:
    """One person's training record in an engagement."""

    user_id: int
    hours_attended: float
    sessions_attended: int
    quiz_passed: bool
    required_hours: float

    @property
    def hours_complete(self) -> bool:
        return self.hours_attended + 1e-9 >= self.required_hours

    @property
    def complete(self) -> bool:
        return self.hours_complete and self.quiz_passed


@dataclass(frozen=True)
class TrainingStatus:
    """Where the applicant company's training stands.

    Rule (shown on the pages too): the training of an engagement is complete when ONE person of
    the applicant company — the representative or a delegated staff member — has attended
    sessions worth the round's `required_hours` AND that same person passed the comprehension
    quiz. Hours are those of each session the person checked in to themselves, counted per
    curriculum unit at most at the unit's hours (attending the same unit twice, or a session
    longer than the unit, adds nothing). Cancelled sessions count for nothing.

    `hours_attended` and `quiz_passed` describe the person closest to completion (the one who
    completed, if anyone did); `people` lists everyone with any attendance or quiz pass.
    """

    hours_attended: float
    required_hours: float
    quiz_passed: bool
    complete: bool
    person_id: int | None = None
    people: tuple[PersonTraining, ...] = field(default_factory=tuple)

    def for_user(self, user_id: int) -> PersonTraining:
        for person in self.people:
            if person.user_id == user_id:
                return person
        return PersonTraining(user_id, 0.0, 0, False, self.required_hours)


def training_status(engagement: Engagement) -> TrainingStatus:
    """Computed from the engagement's sessions (with attendances) and quiz attempts; reads
    them through prefetches when the caller made them, so a list page stays flat."""
    training = engagement.round.rules.training
    required = float(training.required_hours)
    unit_hours = {u.code: float(u.hours) for u in training.curriculum}
    credit: dict[int, dict[str, float]] = {}
    sessions_count: dict[int, int] = {}
    for session in engagement.training_sessions.all():
        if session.cancelled_at is not None:
            continue
        length = session.hours
        hours = min(length, unit_hours.get(session.curriculum_code, length))
        for attendance in session.attendances.all():
            per_unit = credit.setdefault(attendance.user_id, {})
            per_unit[session.curriculum_code] = max(per_unit.get(session.curriculum_code, 0.0), hours)
            sessions_count[attendance.user_id] = sessions_count.get(attendance.user_id, 0) + 1
    passed = {a.user_id for a in engagement.quiz_attempts.all() if a.passed}
    people = tuple(
        PersonTraining(
            user_id=user_id,
            hours_attended=round(sum(credit.get(user_id, {}).values()), 2),
            sessions_attended=sessions_count.get(user_id, 0),
            quiz_passed=user_id in passed,
            required_hours=required,
        )
        for user_id in sorted(set(credit) | passed)
    )
    if not people:
        return TrainingStatus(0.0, required, False, False)
    best = max(people, key=lambda p: (p.complete, min(p.hours_attended, required), p.quiz_passed, -p.user_id))
    return TrainingStatus(
        hours_attended=best.hours_attended,
        required_hours=required,
        quiz_passed=best.quiz_passed,
        complete=best.complete,
        person_id=best.user_id,
        people=people,
    )


@dataclass(frozen=True)
class SupportRecord:
    """What the applicant company has done with its advisor, as the conditions of submission
    read it (applications.completeness.requirements): whether a hearing record was confirmed by
    the company, and where its training stands (training_status)."""

    hearing_confirmed: bool
    training: TrainingStatus

    @property
    def hours_attended(self) -> float:
        """The most hours one person of the company attended (their own check-ins)."""
        return max((min(p.hours_attended, p.required_hours) for p in self.training.people), default=0.0)

    @property
    def hours_complete(self) -> bool:
        return any(p.hours_complete for p in self.training.people)

    @property
    def quiz_passed(self) -> bool:
        return any(p.quiz_passed for p in self.training.people)


def support_record(engagement_id: int) -> SupportRecord:
    """The engagement's support record, read afresh: four queries (the engagement with its round
    and whether a hearing was confirmed; its sessions, their attendances and the passed quiz
    attempts, read through training_status)."""
    confirmed = HearingRecord.objects.filter(engagement=OuterRef("pk"), response=HearingResponse.ACKNOWLEDGED)
    engagement = (
        with_training(Engagement.objects.select_related("round"))
        .annotate(hearing_confirmed=Exists(confirmed))
        .get(pk=engagement_id)
    )
    return SupportRecord(
        hearing_confirmed=bool(engagement.hearing_confirmed),
        training=training_status(engagement),
    )


def with_training(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Prefetch what training_status and the next session need: three queries for any number
    of engagements."""
    return queryset.prefetch_related(
        Prefetch(
            "training_sessions",
            queryset=TrainingSession.objects.order_by("starts_at", "id").prefetch_related(
                Prefetch("attendances", queryset=Attendance.objects.only("id", "session_id", "user_id"))
            ),
        ),
        Prefetch(
            "quiz_attempts",
            queryset=TrainingQuizAttempt.objects.filter(passed=True).only(
                "id", "engagement_id", "user_id", "passed"
            ),
        ),
    )
