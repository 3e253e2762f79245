"""Supported companies (支援先): engagements with their people, hearing records and training
sessions, built directly with the ORM (the pages that create them have their own tests)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

import factory
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.japan.corporate_number import check_digit
from dxgrant.programs.models import Round
from dxgrant.support import checkin
from dxgrant.support.models import (
    Attendance,
    Engagement,
    EngagementMember,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    HearingResponse,
    TrainingFormat,
    TrainingQuizAttempt,
    TrainingSession,
)

from .accounts import UserFactory

_numbers = itertools.count(1)


def corporate_number() -> str:
    """A fresh valid 法人番号."""
    base = f"{700000000000 + next(_numbers):012d}"
    return f"{check_digit(base)}{base}"


class EngagementFactory(factory.django.DjangoModelFactory):
    """An engagement the company accepted (`active`); traits `invited` (not yet accepted) and
    `ended` (ended by its lead advisor, with a reason)."""

    class Meta:
        model = Engagement

    class Params:
        invited = factory.Trait(status=EngagementStatus.INVITED)
        ended = factory.Trait(
            status=EngagementStatus.ENDED,
            ended_at=factory.LazyFunction(timezone.now),
            ended_by=factory.SelfAttribute("lead_advisor"),
            end_reason="支援の方針が合わなかったため（テスト）",
        )

    company_name = factory.Sequence(lambda n: f"株式会社テスト製作所{n}")
    corporate_number = factory.LazyFunction(corporate_number)
    status = EngagementStatus.ACTIVE


def engagement_for(
    firm: AdvisorFirm,
    advisor: User,
    round_obj: Round,
    *,
    representative: User | None = None,
    staff: tuple[User, ...] = (),
    **fields: Any,
) -> Engagement:
    """An engagement (active unless a trait says otherwise) with its representative (a new
    applicant unless given) and `staff` as members."""
    engagement = EngagementFactory(firm=firm, round=round_obj, lead_advisor=advisor, **fields)
    representative = representative or UserFactory(role=Role.APPLICANT)
    EngagementMember.objects.create(
        engagement=engagement, user=representative, role=EngagementRole.REPRESENTATIVE
    )
    for person in staff:
        EngagementMember.objects.create(engagement=engagement, user=person, role=EngagementRole.STAFF)
    return engagement


def representative_of(engagement: Engagement) -> User:
    return engagement.members.get(role=EngagementRole.REPRESENTATIVE).user


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HearingRecord

    held_on = factory.LazyFunction(timezone.localdate)
    attendees = "代表取締役 山田花子、アドバイザー 佐藤一郎"
    topics = "受発注業務の現状と、紙の伝票による転記の手間について"
    challenges = "受注データが紙とExcelに分散し、在庫の把握に毎日2時間かかっている"
    next_steps = "山田：来週までに伝票の種類を一覧にする。佐藤：クラウド受発注の候補を3つ示す。"


def hearing_for(engagement: Engagement, **fields: Any) -> HearingRecord:
    """A hearing record written by the engagement's lead advisor, not yet confirmed."""
    return HearingFactory(engagement=engagement, author=engagement.lead_advisor, **fields)


def session_for(
    engagement: Engagement,
    *,
    starts_at: dt.datetime | None = None,
    hours: float = 2,
    curriculum_code: str = "dx_management",
    invitees: tuple[User, ...] = (),
    **fields: Any,
) -> TrainingSession:
    """A session on one curriculum unit; by default running now (started 10 minutes ago)."""
    starts_at = starts_at or timezone.now() - dt.timedelta(minutes=10)
    session = TrainingSession.objects.create(
        engagement=engagement,
        advisor=engagement.lead_advisor,
        curriculum_code=curriculum_code,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        format=TrainingFormat.ONLINE,
        location="https://meet.example.jp/dx-training",
        checkin_secret=checkin.new_secret(),
        submission_token=uuid.uuid4(),
        **fields,
    )
    if invitees:
        session.invitees.set(invitees)
    return session


def code_now(session: TrainingSession) -> str:
    """The code the advisor's screen shows now."""
    return checkin.current_code(session, session.engagement.round.rules.training)


def correct_answers(round_obj: Round) -> dict[str, str]:
    """The training quiz answered right, question by question."""
    return {q.code: q.answer for q in round_obj.rules.training.quiz}


def wrong_answers(round_obj: Round) -> dict[str, str]:
    """The training quiz answered wrong, question by question."""
    return {
        q.code: next(c.value for c in q.choices if c.value != q.answer) for q in round_obj.rules.training.quiz
    }


def attend(session: TrainingSession, person: User) -> Attendance:
    """`person` checked in to the session themselves (as support.services.attendance records it)."""
    return Attendance.objects.create(session=session, user=person, checked_in_at=session.starts_at)


def pass_quiz(engagement: Engagement, person: User) -> TrainingQuizAttempt:
    """`person` passed the comprehension quiz with every answer right."""
    return TrainingQuizAttempt.objects.create(
        engagement=engagement,
        user=person,
        answers=correct_answers(engagement.round),
        score_percent=100,
        passed=True,
        submission_token=uuid.uuid4(),
    )


def meet_support_requirements(engagement: Engagement, person: User | None = None) -> None:
    """What the round asks before submission, done by `person` (the representative unless
    given): a hearing record they confirmed, a past session of each curriculum unit they checked
    in to (the round's required hours), and the comprehension quiz passed."""
    person = person or representative_of(engagement)
    now = timezone.now()
    hearing_for(
        engagement,
        held_on=timezone.localdate() - dt.timedelta(days=30),
        response=HearingResponse.ACKNOWLEDGED,
        responded_by=person,
        responded_at=now,
    )
    training = engagement.round.rules.training
    starts = now - dt.timedelta(days=20)
    for i, unit in enumerate(training.curriculum):
        session = session_for(
            engagement,
            starts_at=starts + dt.timedelta(days=i),
            hours=float(unit.hours),
            curriculum_code=unit.code,
        )
        attend(session, person)
    pass_quiz(engagement, person)
