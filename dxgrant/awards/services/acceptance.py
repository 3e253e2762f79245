"""The applicant accepts the conditions of the grant (交付条件の受諾): their own act, after a
code from their authenticator app, within the round's period from the notification."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import StepUpAttempt, StepUpPurpose, User
from dxgrant.accounts.services import step_up as step_up_codes
from dxgrant.applications.models import Application
from dxgrant.applications.services.transitions import transition

from .. import policies, selectors
from ..models import Acceptance
from .instalments import create_instalments


@transaction.atomic
def accept_conditions(*, application: Application, actor: User, step_up: StepUpAttempt | None) -> Acceptance:
    """Record the acceptance and fire the workflow's `accept` (notified → accepted).

    Callers: the applicant's people only (PermissionDenied for the advisor, staff and anyone
    else), with `step_up` an accepted code of theirs for acceptance from the last five minutes
    (codes.verify_code). Refused (ValidationError): a state other than notified (already
    accepted, not yet notified), after the last day of the period (round.rules.awards.
    acceptance_days from the day of the notification; the date is in the message), no fresh code.
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    policies.can_accept(actor, locked).require()
    policies.refuse_unless(policies.acceptance_state(locked))
    period = selectors.acceptance_period(locked)
    today = timezone.localdate()
    if period.notified_on is None or period.last_day is None:
        raise ValidationError(
            _("交付決定の通知の記録がないため、受諾できません。事務局にお問い合わせください。")
        )
    if not period.open_on(today):
        raise ValidationError(
            _("受諾の期限（%(date)s）を過ぎているため、受諾できません。事務局にお問い合わせください。")
            % {"date": period.last_day.isoformat()},
            code="period_over",
        )
    step_up_codes.require_fresh(step_up, actor=actor, purpose=StepUpPurpose.ACCEPTANCE)
    conditions = [c.model_dump(mode="json") for c in locked.round.rules.awards.conditions]
    transition(locked, name="accept", actor=actor, changes={"conditions": [c["code"] for c in conditions]})
    acceptance = Acceptance.objects.create(
        application=locked,
        accepted_by=actor,
        accepted_at=timezone.now(),
        notified_on=period.notified_on,
        last_day=period.last_day,
        conditions=conditions,
        step_up=step_up,
    )
    # The award's instalments from the round's rules; those due after acceptance are due now.
    create_instalments(locked, actor=actor)
    application.status = locked.status
    return acceptance
