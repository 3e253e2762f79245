"""The committee's meetings (審査会): date, members present, minutes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import policies
from ..models import Meeting, RoundDecision


@transaction.atomic
def record_meeting(*, actor: User, round_obj: Round, held_on: dt.date, members: str, minutes: str) -> Meeting:
    """Record a committee meeting. Callers: the secretariat, before the round is decided.
    Refused: a date in the future, no members, no minutes (ValidationError by field)."""
    policies.can_change_round(
        actor, round_obj, RoundDecision.objects.filter(round=round_obj).first()
    ).require()
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("開催日に未来の日付は指定できません。")]
    if not members.strip():
        errors["members"] = [_("出席者を入力してください。")]
    if not minutes.strip():
        errors["minutes"] = [_("議事録を入力してください。")]
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        round=round_obj, held_on=held_on, members=members.strip(), minutes=minutes.strip(), recorded_by=actor
    )
    meeting.full_clean(exclude=["round", "recorded_by"])
    meeting.save()
    audit_record(
        actor=actor,
        action="decisions.meeting_recorded",
        obj=meeting,
        changes={"held_on": held_on.isoformat(), "members": meeting.members},
    )
    return meeting
