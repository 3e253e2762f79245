"""The secretariat sends a survey to a cohort: a round's awardees, or a filtered list of them.

Callers: the secretariat. Refused: a survey with no question; a cohort with nobody in it.
Sending freezes the survey; sending it again (a double click) sends nothing more: the survey row
is locked, and a sent survey answers with its existing invitations. One invitation per
application (unique), each emailed once (tasks.send_invitation)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.accounts.policies import can_act_as_secretariat
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import lifecycle, selectors, tasks
from ..models import Survey, SurveyInvitation, SurveyQuestion


@transaction.atomic
def send_survey(*, actor: User, survey: Survey, filters: dict[str, Any]) -> int:
    """Send `survey` to the cohort `filters` describes (round required; prefecture, industry,
    status optional). Returns the number of invitations made by this call (0 when already sent)."""
    can_act_as_secretariat(actor).require()
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status == lifecycle.SENT:
        return 0
    if not lifecycle.SURVEY.allows("send", locked.status, lifecycle.SECRETARIAT):
        raise ValidationError(_("この調査は送付できません。"))
    if not SurveyQuestion.objects.filter(section__survey=locked).exists():
        raise ValidationError(_("質問が1つもありません。セクションと質問を追加してから送付してください。"))
    if locked.due_on < timezone.localdate():
        raise ValidationError(
            {"due_on": _("回答期限が過ぎています。期限を今日以降に変更してから送付してください。")}
        )
    application_ids = list(selectors.cohort(filters).order_by("pk").values_list("pk", flat=True))
    if not application_ids:
        raise ValidationError(_("条件に当てはまる交付先がありません。条件を見直してください。"))
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=locked, application_id=pk) for pk in application_ids], ignore_conflicts=True
    )
    cohort = {key: value for key, value in filters.items() if value not in (None, "")}
    locked.status, locked.sent_at, locked.cohort = lifecycle.SENT, timezone.now(), cohort
    locked.save(update_fields=["status", "sent_at", "cohort"])
    audit_record(
        actor=actor,
        action="surveys.survey_sent",
        obj=locked,
        changes={"cohort": cohort, "invitations": len(application_ids)},
    )
    for pk in SurveyInvitation.objects.filter(survey=locked).order_by("pk").values_list("pk", flat=True):
        enqueue_on_commit(tasks.send_invitation, pk)
    survey.status, survey.sent_at, survey.cohort = locked.status, locked.sent_at, locked.cohort
    return len(application_ids)
