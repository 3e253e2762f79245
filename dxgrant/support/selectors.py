"""Reads for advisor support, already narrowed to what the asking user may see.

`get_*_for(user, pk)` fetch and authorise in one step: a missing object and one the user may
not see both raise Http404, so an advisor of another firm learns nothing from an id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User, Visitor
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.advisors.policies import active_membership
from dxgrant.core.pagination import KeysetPage, keyset_page
from dxgrant.core.search import matching
from dxgrant.core.tokens import hash_token
from dxgrant.programs.models import Round
from dxgrant.programs.schema import CurriculumUnit, Training

from .checkin import window_for
from .models import (
    Attendance,
    CheckInAttempt,
    CheckInOutcome,
    ClientInvitation,
    Engagement,
    EngagementMember,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    HearingResponse,
    TrainingQuizAttempt,
    TrainingSession,
)
from .policies import engagements_visible_to
from .training_status import TrainingStatus, training_status, with_training

PAGE_SIZE = 50


# --- Fetch and authorise -------------------------------------------------------------------------


def _members() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "members", queryset=EngagementMember.objects.select_related("user").order_by("joined_at", "id")
    )


def get_engagement_for(user: Visitor, pk: int) -> Engagement:
    engagement = (
        engagements_visible_to(user)
        .select_related("firm", "round", "lead_advisor", "application", "ended_by")
        .prefetch_related(_members())
        .filter(pk=pk)
        .first()
    )
    if engagement is None:
        raise Http404
    return engagement


def get_hearing_for(user: Visitor, pk: int) -> HearingRecord:
    hearing = (
        HearingRecord.objects.filter(engagement__in=engagements_visible_to(user))
        .select_related(
            "engagement__firm", "engagement__round", "author", "responded_by", "corrects", "correction"
        )
        .prefetch_related(Prefetch("engagement__members", queryset=EngagementMember.objects.order_by("id")))
        .filter(pk=pk)
        .first()
    )
    if hearing is None:
        raise Http404
    return hearing


def get_session_for(user: Visitor, pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.filter(engagement__in=engagements_visible_to(user))
        .select_related("engagement__firm", "engagement__round", "advisor")
        .prefetch_related(
            "invitees", Prefetch("engagement__members", queryset=EngagementMember.objects.order_by("id"))
        )
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    return session


def get_invitation_for(user: Visitor, pk: int) -> ClientInvitation:
    invitation = (
        ClientInvitation.objects.filter(engagement__in=engagements_visible_to(user))
        .select_related("engagement__firm")
        .prefetch_related("engagement__members")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def next_session(engagement: Engagement, now: dt.datetime | None = None) -> TrainingSession | None:
    now = now or timezone.now()
    for session in engagement.training_sessions.all():
        if session.cancelled_at is None and session.ends_at >= now:
            return session
    return None


# --- Dashboard and lists -------------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) per engagement (no join fan-out between several counts)."""
    counted = (
        queryset.filter(engagement=OuterRef("pk"))
        .order_by()
        .values("engagement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def engagement_rows(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Engagements with what the dashboard and the staff list show, in a fixed number of
    queries: the rows (with counts), open invitations, sessions, attendances, quiz passes."""
    return with_training(
        queryset.select_related("round", "firm", "lead_advisor")
        .annotate(
            hearings_pending=_count(HearingRecord.objects.filter(response=HearingResponse.PENDING)),
            hearings_disputed=_count(
                HearingRecord.objects.filter(response=HearingResponse.DISPUTED, correction__isnull=True)
            ),
            hearings_total=_count(HearingRecord.objects.all()),
            member_count=_count(EngagementMember.objects.all()),
        )
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=ClientInvitation.objects.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True
                ).order_by("id"),
                to_attr="open_invitations",
            )
        )
    )


@dataclass(frozen=True)
class DueItem:
    text: str
    urgent: bool = False


@dataclass
class EngagementRow:
    engagement: Engagement
    training: TrainingStatus
    next_session: TrainingSession | None
    due: list[DueItem]


def due_items(
    engagement: Engagement, training: TrainingStatus, upcoming: TrainingSession | None
) -> list[DueItem]:
    """What the advisor should see to next, in the order they would do it."""
    now = timezone.now()
    items: list[DueItem] = []
    if engagement.status == EngagementStatus.ENDED:
        return items
    for invitation in getattr(engagement, "open_invitations", []):
        if invitation.expires_at <= now:
            items.append(
                DueItem(
                    _("%(name)s さんへの招待の期限が切れています。再送してください。")
                    % {"name": invitation.name},
                    True,
                )
            )
        elif invitation.role == EngagementRole.REPRESENTATIVE:
            items.append(DueItem(_("代表者の招待承諾待ち")))
    disputed = getattr(engagement, "hearings_disputed", 0)
    if disputed:
        items.append(
            DueItem(
                _("異議のあるヒアリング記録 %(n)s件：訂正の記録を作成してください。") % {"n": disputed}, True
            )
        )
    if engagement.status == EngagementStatus.ACTIVE and not getattr(engagement, "hearings_total", 0):
        items.append(DueItem(_("ヒアリング記録がありません。")))
    pending = getattr(engagement, "hearings_pending", 0)
    if pending:
        items.append(DueItem(_("申請者の確認待ちのヒアリング記録 %(n)s件") % {"n": pending}))
    if engagement.status == EngagementStatus.ACTIVE and not training.complete:
        if upcoming is None and not training.hours_attended + 1e-9 >= training.required_hours:
            items.append(DueItem(_("次の研修の日程を登録してください。")))
        elif training.hours_attended + 1e-9 >= training.required_hours and not training.quiz_passed:
            items.append(DueItem(_("研修時間は満たしています。申請者の確認テスト合格待ち")))
    return items


def build_rows(engagements: Iterable[Engagement]) -> list[EngagementRow]:
    now = timezone.now()
    rows = []
    for engagement in engagements:
        status = training_status(engagement)
        upcoming = next_session(engagement, now)
        rows.append(EngagementRow(engagement, status, upcoming, due_items(engagement, status, upcoming)))
    return rows


def engagements_page(
    queryset: QuerySet[Engagement], before: str | None, size: int = PAGE_SIZE
) -> KeysetPage[EngagementRow]:
    """Newest first, by id (`?before=<id>`): page 300 costs what page 1 does."""
    return keyset_page(engagement_rows(queryset), cursor=before, size=size, rows=build_rows)


def with_repeat_invitations(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Each engagement with `same_number_invitations`: how many engagements of its round (by any
    firm, in any state, itself included) invited the same 法人番号; 0 without one. The
    secretariat's list flags a company invited more than once (a correlated count on the
    (round, corporate_number) index, in the list's own query)."""
    same = (
        Engagement.objects.filter(round=OuterRef("round"), corporate_number=OuterRef("corporate_number"))
        .exclude(corporate_number="")
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        same_number_invitations=Coalesce(Subquery(same[:1], output_field=IntegerField()), Value(0))
    )


def staff_filter(
    queryset: QuerySet[Engagement], *, status: str = "", round_code: str = "", q: str = ""
) -> QuerySet[Engagement]:
    if status in EngagementStatus.values:
        queryset = queryset.filter(status=status)
    if round_code:
        queryset = queryset.filter(round__code=round_code)
    if q.strip():
        # The company's name or 法人番号, or its firm's name, however typed (dxgrant.core.search).
        # One set of ids (a UNION), not an OR of two conditions: each half uses its own index,
        # where an OR would make the database walk every engagement.
        companies = matching(Engagement.objects.order_by(), q).values("pk")
        of_firms = Engagement.objects.filter(firm__in=matching(AdvisorFirm.objects.all(), q).values("pk"))
        queryset = queryset.filter(pk__in=companies.union(of_firms.order_by().values("pk")))
    return queryset


# --- Engagement detail ---------------------------------------------------------------------------


def engagement_detail(engagement: Engagement) -> dict[str, Any]:
    """Hearings, sessions (with invitees and attendance), quiz attempts and invitations of one
    engagement: six queries whatever their number."""
    prefetch_related_objects(
        [engagement],
        Prefetch(
            "hearings",
            queryset=HearingRecord.objects.select_related("author", "responded_by", "correction").order_by(
                "-held_on", "-id"
            ),
        ),
        Prefetch(
            "training_sessions",
            queryset=TrainingSession.objects.order_by("starts_at", "id").prefetch_related(
                "invitees",
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("user").order_by("checked_in_at"),
                ),
            ),
        ),
        Prefetch(
            "quiz_attempts", queryset=TrainingQuizAttempt.objects.select_related("user").order_by("-id")
        ),
        Prefetch("invitations", queryset=ClientInvitation.objects.order_by("-id")),
    )
    training = engagement.round.rules.training
    units = {u.code: u for u in training.curriculum}
    sessions = list(engagement.training_sessions.all())
    now = timezone.now()
    for session in sessions:
        session.unit = units.get(session.curriculum_code)  # type: ignore[attr-defined]
        session.state = session_state(session, training, now)  # type: ignore[attr-defined]
    return {
        "hearings": list(engagement.hearings.all()),
        "sessions": sessions,
        "attempts": list(engagement.quiz_attempts.all()),
        "invitations": list(engagement.invitations.all()),
        "training": training_status(engagement),
        "next_session": next_session(engagement),
    }


def session_state(session: TrainingSession, training: Training, now: dt.datetime | None = None) -> str:
    """cancelled, upcoming, open (check-in accepted now) or over."""
    now = now or timezone.now()
    if session.cancelled_at is not None:
        return "cancelled"
    window = window_for(session, training)
    if now < window.opens:
        return "upcoming"
    if now <= window.closes:
        return "open"
    return "over"


def member_names(engagement: Engagement) -> dict[int, str]:
    return {m.user_id: str(m.user) for m in engagement.members.all()}


# --- Rounds, invitations, curriculum -------------------------------------------------------------


def rounds_open_for(actor: User) -> list[Round]:
    """Rounds an advisor may start supporting a company in: the open rounds of the firm's
    programme. (A demo round exists only where demo data was seeded.)"""
    membership = active_membership(actor)
    if membership is None:
        return []
    rounds = Round.objects.filter(programme_id=membership.firm.programme_id)
    today = timezone.localdate()
    return [r for r in rounds.order_by("application_opens", "code") if r.application_status(today) == "open"]


def invitation_valid_hours(round: Round) -> int:
    """How long an invitation link of this round lasts."""
    return round.rules.application.invitation_valid_hours


def find_invitation(raw_token: str) -> ClientInvitation | None:
    """The invitation a link points at, whatever its state (the page explains the state)."""
    if not raw_token or len(raw_token) > 100:
        return None
    return (
        ClientInvitation.objects.select_related("engagement__firm", "engagement__round")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def invitation_problem(invitation: ClientInvitation | None) -> str:
    """Why a link cannot be used, or "" if it can."""
    if invitation is None:
        return _("この招待リンクは無効です。アドレスを最後まで正しく開いたかご確認ください。")
    if invitation.revoked_at is not None:
        return _("この招待は取り消されました。アドバイザーにお問い合わせください。")
    if invitation.accepted_at is not None:
        return _("この招待はすでに承諾されています。ログインしてご利用ください。")
    if invitation.expires_at <= timezone.now():
        return _(
            "この招待リンクは有効期限（%(when)s）が切れています。アドバイザーに再送を依頼してください。"
        ) % {"when": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")}
    return ""


def curriculum_unit(round_obj: Round, code: str) -> CurriculumUnit | None:
    """The unit of the round's training curriculum with this code, if there is one."""
    return next((unit for unit in round_obj.rules.training.curriculum if unit.code == code), None)


# --- Check-in and quiz ---------------------------------------------------------------------------


def refused_checkins(session: TrainingSession, user: User, since: dt.datetime) -> int:
    """How many of this person's check-in attempts at this session were refused since then."""
    return (
        CheckInAttempt.objects.filter(session=session, user=user, at__gte=since)
        .exclude(outcome=CheckInOutcome.CHECKED_IN)
        .count()
    )


def has_attended(user: User, engagement: Engagement) -> bool:
    """Checked in themselves to at least one session of the engagement that was not cancelled."""
    return Attendance.objects.filter(
        user=user, session__engagement=engagement, session__cancelled_at__isnull=True
    ).exists()


# --- For the email tasks -------------------------------------------------------------------------


def invitation_for_email(invitation_id: int) -> ClientInvitation | None:
    """The invitation with what its email shows, locked until the sending transaction ends (a
    resend or a revocation waits for it)."""
    return (
        ClientInvitation.objects.select_for_update(of=("self",))
        .select_related("engagement__firm", "engagement__round", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )


def hearing_for_email(hearing_id: int) -> HearingRecord | None:
    return HearingRecord.objects.select_related("engagement__firm", "author").filter(pk=hearing_id).first()


def representative_of(engagement: Engagement) -> User | None:
    member = engagement.members.filter(role=EngagementRole.REPRESENTATIVE).select_related("user").first()
    return member.user if member is not None else None


def session_for_email(session_id: int) -> TrainingSession | None:
    return (
        TrainingSession.objects.select_related("engagement__firm", "engagement__round", "advisor")
        .prefetch_related("invitees")
        .filter(pk=session_id)
        .first()
    )


def session_recipients(session: TrainingSession) -> list[User]:
    """Each invitee, or every member of the company when the session names nobody."""
    return list(session.invitees.all()) or [
        m.user for m in session.engagement.members.select_related("user").order_by("id")
    ]


def engagement_for_email(engagement_id: int) -> Engagement | None:
    return (
        Engagement.objects.select_related("firm", "round", "lead_advisor", "ended_by")
        .filter(pk=engagement_id)
        .first()
    )


def end_notice_recipients(engagement: Engagement) -> list[User]:
    """The company's representative and the lead advisor."""
    people = [
        m.user for m in engagement.members.filter(role=EngagementRole.REPRESENTATIVE).select_related("user")
    ]
    people.append(engagement.lead_advisor)
    return people
