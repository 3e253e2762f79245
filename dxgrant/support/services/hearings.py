"""Hearing records (ヒアリング記録): the advisor writes them, the applicant confirms or disputes
them. A record can be edited only while it awaits the answer; every edit raises its revision,
and an answer or edit made on an older revision is refused (`core.editing.EditConflict`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.editing import expect_revision
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import policies, tasks
from ..models import Engagement, HearingRecord, HearingResponse

HEARING_FIELDS = ("held_on", "attendees", "topics", "challenges", "next_steps")


@transaction.atomic
def record_hearing(
    *,
    actor: User,
    engagement: Engagement,
    held_on: dt.date,
    attendees: str,
    topics: str,
    challenges: str,
    next_steps: str,
    corrects: HearingRecord | None = None,
    submission_token: uuid.UUID | None = None,
) -> HearingRecord:
    """Record a hearing the advisor held; the representative is told by email.

    Callers: an advisor of the engagement's firm in good standing (`can_manage_engagement`).
    Refused: a date in the future; `corrects` that is not a disputed, uncorrected record of the
    same engagement. The same `submission_token` twice returns the first record.
    """
    policies.can_manage_engagement(actor, engagement).require()
    if submission_token is not None:
        existing = HearingRecord.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if held_on > timezone.localdate():
        raise ValidationError(_("実施日に未来の日付は指定できません。"))
    if corrects is not None:
        corrects = HearingRecord.objects.select_for_update().get(pk=corrects.pk)
        if corrects.engagement_id != engagement.pk:
            raise ValidationError(_("訂正する記録が見つかりません。"))
        policies.can_correct_hearing(actor, corrects).require()
    hearing = HearingRecord(
        engagement=engagement,
        author=actor,
        held_on=held_on,
        attendees=attendees,
        topics=topics,
        challenges=challenges,
        next_steps=next_steps,
        corrects=corrects,
        submission_token=submission_token,
    )
    hearing.full_clean(exclude=["engagement", "author", "corrects"])
    hearing.save()
    audit_record(
        actor=actor,
        action="support.hearing_recorded",
        obj=hearing,
        changes={"engagement": engagement.pk, "corrects": corrects.pk if corrects else None}
        | {f: str(getattr(hearing, f)) for f in HEARING_FIELDS},
    )
    enqueue_on_commit(tasks.send_hearing_recorded, hearing.pk)
    return hearing


@transaction.atomic
def edit_hearing(
    *,
    actor: User,
    hearing: HearingRecord,
    revision: int,
    held_on: dt.date,
    attendees: str,
    topics: str,
    challenges: str,
    next_steps: str,
) -> HearingRecord:
    """Change a record that still awaits the applicant's answer.

    Callers: as for `record_hearing`. Refused: a record already answered; an edit made on an
    older revision than the stored one (someone else saved in between).
    """
    hearing = HearingRecord.objects.select_for_update().select_related("engagement").get(pk=hearing.pk)
    policies.can_edit_hearing(actor, hearing).require()
    expect_revision(
        hearing.revision,
        revision,
        message=_("この記録は別の画面で更新されました。最新の内容を確認してから編集してください。"),
    )
    if held_on > timezone.localdate():
        raise ValidationError(_("実施日に未来の日付は指定できません。"))
    new = {
        "held_on": held_on,
        "attendees": attendees,
        "topics": topics,
        "challenges": challenges,
        "next_steps": next_steps,
    }
    before = {f: str(getattr(hearing, f)) for f in HEARING_FIELDS}
    for field, value in new.items():
        setattr(hearing, field, value)
    after = {f: str(getattr(hearing, f)) for f in HEARING_FIELDS}
    if before == after:
        return hearing
    hearing.revision += 1
    hearing.full_clean(exclude=["engagement", "author", "corrects"])
    hearing.save(update_fields=[*HEARING_FIELDS, "revision", "updated_at"])
    audit_record(
        actor=actor,
        action="support.hearing_edited",
        obj=hearing,
        changes={"revision": hearing.revision, "before": before, "after": after},
    )
    return hearing


@transaction.atomic
def respond_to_hearing(
    *, actor: User, hearing: HearingRecord, revision: int, response: str, comment: str = ""
) -> HearingRecord:
    """The applicant acknowledges (確認) or disputes (異議) a hearing record.

    Callers: a member of the applicant company, themselves (`can_respond_to_hearing`); an
    advisor or staff member is refused. Refused: a record already answered (the same answer
    repeated by the same person — a double submit — changes nothing); an answer to an older
    revision than the stored one; a dispute without a comment.
    """
    hearing = HearingRecord.objects.select_for_update().select_related("engagement").get(pk=hearing.pk)
    if hearing.response == response and hearing.responded_by_id == actor.pk and hearing.revision == revision:
        return hearing
    policies.can_respond_to_hearing(actor, hearing).require()
    expect_revision(
        hearing.revision,
        revision,
        message=_("アドバイザーがこの記録を更新しました。最新の内容を読んでから、もう一度回答してください。"),
    )
    if response not in (HearingResponse.ACKNOWLEDGED, HearingResponse.DISPUTED):
        raise ValidationError(_("回答を選んでください。"))
    comment = comment.strip()
    if response == HearingResponse.DISPUTED and not comment:
        raise ValidationError(_("異議がある場合は、どこが事実と違うかをコメントに書いてください。"))
    hearing.response = response
    hearing.response_comment = comment
    hearing.responded_by = actor
    hearing.responded_at = timezone.now()
    hearing.save(update_fields=["response", "response_comment", "responded_by", "responded_at", "updated_at"])
    audit_record(
        actor=actor,
        action=f"support.hearing_{response}",
        obj=hearing,
        changes={"revision": revision, "comment": comment},
    )
    return hearing
