"""Training sessions (研修): scheduling and cancelling them. Attendance is the attendee's own
check-in (`attendance`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import checkin, policies, selectors, tasks
from ..models import Engagement, TrainingFormat, TrainingSession

MAX_SESSION_LENGTH = dt.timedelta(hours=12)


@transaction.atomic
def schedule_session(
    *,
    actor: User,
    engagement: Engagement,
    curriculum_code: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    format: str,
    location: str,
    invitees: Iterable[User] = (),
    submission_token: uuid.UUID | None = None,
) -> TrainingSession:
    """Schedule a training session on one curriculum unit of the engagement's round and tell
    the invitees by email. No invitees means every member of the applicant company is invited.

    Callers: an advisor of the engagement's firm in good standing (`can_manage_engagement`).
    Refused: a unit not in the round's curriculum; an end not after the start or more than
    12 hours later; a session already over; an invitee who is not a member of the company.
    """
    policies.can_manage_engagement(actor, engagement).require()
    if submission_token is not None:
        existing = TrainingSession.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if selectors.curriculum_unit(engagement.round, curriculum_code) is None:
        raise ValidationError(_("この公募回の研修カリキュラムにない単元です。"))
    if ends_at <= starts_at:
        raise ValidationError(_("終了時刻は開始時刻より後にしてください。"))
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise ValidationError(_("1回の研修は12時間以内にしてください。"))
    if ends_at <= timezone.now():
        raise ValidationError(_("終了時刻が過ぎた研修は登録できません。"))
    if format not in TrainingFormat.values:
        raise ValidationError(_("形式を選んでください。"))
    member_ids = set(engagement.members.values_list("user_id", flat=True))
    invitee_list = list(invitees)
    if any(u.pk not in member_ids for u in invitee_list):
        raise ValidationError(_("招待できるのは、この支援先の申請者側のメンバーだけです。"))
    session = TrainingSession(
        engagement=engagement,
        advisor=actor,
        curriculum_code=curriculum_code,
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        location=location.strip(),
        checkin_secret=checkin.new_secret(),
        submission_token=submission_token,
    )
    session.full_clean(exclude=["engagement", "advisor"])
    session.save()
    session.invitees.set(invitee_list)
    audit_record(
        actor=actor,
        action="support.training_scheduled",
        obj=session,
        changes={
            "engagement": engagement.pk,
            "curriculum": curriculum_code,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "format": format,
            "invitees": sorted(u.pk for u in invitee_list),
        },
    )
    enqueue_on_commit(tasks.send_session_scheduled, session.pk)
    return session


@transaction.atomic
def cancel_session(*, actor: User, session: TrainingSession) -> TrainingSession:
    """Cancel a session that has not started. Callers: as for `schedule_session`. Refused: a
    session that started (its attendance is a record and stays). Cancelling twice changes
    nothing."""
    session = TrainingSession.objects.select_for_update().select_related("engagement").get(pk=session.pk)
    if session.cancelled_at is not None:
        return session
    policies.can_manage_engagement(actor, session.engagement).require()
    if session.starts_at <= timezone.now():
        raise ValidationError(_("開始した研修は中止できません。"))
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action="support.training_cancelled", obj=session)
    return session
