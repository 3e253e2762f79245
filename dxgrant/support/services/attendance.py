"""Training attendance: the attendee's own check-in with the code shown in the session.

Each attempt with a code is stored (`CheckInAttempt`): the limit on wrong codes counts those
rows, never the audit log, which records the same attempts for the record.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import checkin, policies, selectors
from ..models import Attendance, CheckInAttempt, CheckInOutcome, TrainingSession

logger = logging.getLogger(__name__)

# Refused check-in attempts a person may make for one session in a rolling window.
CHECKIN_ATTEMPT_LIMIT = 5
CHECKIN_ATTEMPT_WINDOW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class CheckInResult:
    """What happened to a check-in attempt. `refusal` is a message for the person, or ""."""

    attendance: Attendance | None
    already: bool = False
    refusal: str = ""

    @property
    def ok(self) -> bool:
        return self.attendance is not None and not self.refusal


def _refusal(session: TrainingSession, actor: User, code: str, now: dt.datetime) -> tuple[str, str]:
    """(outcome, message) of an attempt that is refused, or ("", "") for one that may record."""
    training = session.engagement.round.rules.training
    window = checkin.window_for(session, training)
    if selectors.refused_checkins(session, actor, now - CHECKIN_ATTEMPT_WINDOW) >= CHECKIN_ATTEMPT_LIMIT:
        return CheckInOutcome.TOO_MANY_ATTEMPTS, _(
            "コードの入力に続けて失敗したため、しばらく受け付けません。10分ほど待ってから、画面に表示されている最新のコードを入力してください。"
        )
    if now < window.opens:
        return CheckInOutcome.BEFORE_WINDOW, _(
            "まだ研修の開始時刻前です。研修が始まってから、画面に表示されるコードを入力してください。"
        )
    if now > window.closes:
        return CheckInOutcome.AFTER_WINDOW, _(
            "出席を受け付ける時間が終了しました（研修の終了時刻から%(minutes)s分後まで）。"
        ) % {"minutes": checkin.grace_minutes(training)}
    if not session.engagement.firm.in_good_standing():
        return CheckInOutcome.FIRM_NOT_IN_GOOD_STANDING, _(
            "この研修を行う認定事業者は現在新たな支援を行えないため、出席を記録できません。事務局にお問い合わせください。"
        )
    if not checkin.code_matches(session, code, now):
        return CheckInOutcome.WRONG_CODE, _(
            "コードが正しくありません。研修の画面に表示されている最新の6桁のコードを入力してください。"
        )
    return "", ""


@transaction.atomic
def check_in(
    *,
    actor: User,
    session: TrainingSession,
    attendee: User,
    code: str,
    ip_address: str | None = None,
) -> CheckInResult:
    """Record that `attendee` is at the session, with the code shown in it.

    Callers: the attendee themselves and nobody else — `actor` must be `attendee`, an applicant,
    a member of the engagement and invited to the session (`can_check_in`). Anyone else,
    advisors and staff included, gets PermissionDenied and nothing is recorded.

    A wrong code, a time outside the check-in window (start to end plus the round's grace
    minutes), a firm no longer in good standing, or too many refused attempts (five in ten
    minutes): nothing is recorded but the attempt itself (and its audit entry), and the result
    carries the reason. A second check-in of the same person says they are already checked in
    (one row per person and session, also enforced by the database).
    """
    if actor is None or attendee is None or actor.pk != attendee.pk:
        # The request's transaction is rolled back with the refusal, so the log keeps the trace.
        logger.warning(
            "check-in for someone else refused: actor=%s attendee=%s session=%s",
            getattr(actor, "pk", None),
            getattr(attendee, "pk", None),
            session.pk,
        )
        raise PermissionDenied(_("出席は、研修に参加したご本人だけが記録できます。"))
    session = (
        TrainingSession.objects.select_related("engagement__round", "engagement__firm")
        .prefetch_related("invitees", "engagement__members")
        .get(pk=session.pk)
    )
    decision = policies.can_check_in(actor, session)
    if not decision:
        logger.warning("check-in refused: actor=%s session=%s: %s", actor.pk, session.pk, decision.reason)
        decision.require()

    existing = Attendance.objects.filter(session=session, user=attendee).first()
    if existing is not None:
        return CheckInResult(attendance=existing, already=True)

    now = timezone.now()
    outcome, refusal = _refusal(session, actor, code, now)
    if refusal:
        CheckInAttempt.objects.create(
            session=session, user=actor, at=now, outcome=outcome, ip_address=ip_address
        )
        audit_record(
            actor=actor,
            action="support.checkin_refused",
            obj=session,
            changes={"reason": str(outcome), "ip": ip_address or ""},
        )
        return CheckInResult(attendance=None, refusal=refusal)

    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session, user=attendee, checked_in_at=now, ip_address=ip_address
            )
    except IntegrityError:
        # The same person's other tab got there first.
        return CheckInResult(attendance=Attendance.objects.get(session=session, user=attendee), already=True)
    CheckInAttempt.objects.create(
        session=session, user=actor, at=now, outcome=CheckInOutcome.CHECKED_IN, ip_address=ip_address
    )
    audit_record(
        actor=actor,
        action="support.checked_in",
        obj=attendance,
        changes={"session": session.pk, "user": attendee.pk, "ip": ip_address or ""},
    )
    return CheckInResult(attendance=attendance)
