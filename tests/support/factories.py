"""Engagements, hearing records and training sessions for tests, built directly with the ORM
(the pages that create them have their own tests). Firms come from tests/firm_helpers.py."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import factory
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.japan.corporate_number import check_digit
from dxgrant.programs.models import Programme, Round
from dxgrant.support import checkin
from dxgrant.support.models import (
    Engagement,
    EngagementMember,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    TrainingFormat,
    TrainingSession,
)
from tests.factories import UserFactory
from tests.firm_helpers import add_advisor, certified_firm

_numbers = itertools.count(1)


def corporate_number() -> str:
    """A fresh valid 法人番号."""
    base = f"{700000000000 + next(_numbers):012d}"
    return f"{check_digit(base)}{base}"


def open_round(programme: Programme, code: str = "dx-test-open") -> Round:
    """A copy of the programme's real round whose application window contains today."""
    existing = Round.objects.filter(code=code).first()
    if existing is not None:
        return existing
    template = Round.objects.filter(programme=programme, is_demo=False).order_by("application_opens").first()
    assert template is not None
    today = timezone.localdate()
    return Round.objects.create(
        programme=programme,
        code=code,
        name_ja="テスト公募回（受付中）",
        name_en="Test round (open)",
        application_opens=today - dt.timedelta(days=30),
        application_closes=today + dt.timedelta(days=60),
        programme_period_starts=today - dt.timedelta(days=30),
        programme_period_ends=today + dt.timedelta(days=400),
        max_award_yen=template.max_award_yen,
        eligibility=template.eligibility,
        rubric=template.rubric,
        amount_rule=template.amount_rule,
        documents=template.documents,
        training=template.training,
        texts=template.texts,
    )


def support_round(programme: Programme, code: str = "dx-test-open") -> Round:
    """An open round with the programme's application rules too (how long invitation links
    last, among them): the round an advisor invites a company in."""
    round_obj = open_round(programme, code=code)
    if not round_obj.application_rules:
        template = (
            Round.objects.filter(programme=programme, is_demo=False).exclude(application_rules={}).first()
        )
        assert template is not None
        round_obj.application_rules = template.application_rules
        round_obj.save(update_fields=["application_rules"])
    return round_obj


def advisor_of(firm: AdvisorFirm, *, passed_course: bool = True, **kwargs: object) -> User:
    return add_advisor(firm, passed_course=passed_course, **kwargs)


def firm_with_advisor(programme: Programme, **firm_kwargs: object) -> tuple[AdvisorFirm, User]:
    firm = certified_firm(programme, **firm_kwargs)  # type: ignore[arg-type]
    return firm, advisor_of(firm)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

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
    **kwargs: object,
) -> Engagement:
    """An active engagement with its representative (a new applicant unless given) as member."""
    engagement = EngagementFactory(firm=firm, round=round_obj, lead_advisor=advisor, **kwargs)
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


def hearing_for(engagement: Engagement, **kwargs: object) -> HearingRecord:
    return HearingFactory(engagement=engagement, author=engagement.lead_advisor, **kwargs)


def session_for(
    engagement: Engagement,
    *,
    starts_at: dt.datetime | None = None,
    hours: float = 2,
    curriculum_code: str = "dx_management",
    invitees: tuple[User, ...] = (),
    **kwargs: object,
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
        **kwargs,
    )
    if invitees:
        session.invitees.set(invitees)
    return session


def code_now(session: TrainingSession) -> str:
    """The code the advisor's screen shows now."""
    return checkin.current_code(session, session.engagement.round.rules.training)


def correct_answers(round_obj: Round) -> dict[str, str]:
    return {q["code"]: q["answer"] for q in round_obj.training["quiz"]}


def wrong_answers(round_obj: Round) -> dict[str, str]:
    return {
        q["code"]: next(c["value"] for c in q["choices"] if c["value"] != q["answer"])
        for q in round_obj.training["quiz"]
    }
