"""Ending the support (支援の終了): the company's right to choose its advisor, and the firm's
to stop. An unsubmitted application closes with it and frees the company's place in the round."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services.transitions import transition
from dxgrant.core.notify import enqueue_on_commit

from .. import lifecycle, policies, tasks
from ..models import Engagement
from . import transitions


@transaction.atomic
def end_engagement(*, actor: User, engagement: Engagement, reason: str = "") -> Engagement:
    """End the support of a company by a firm in a round (the lifecycle's `end`).

    Callers: the company's representative or an advisor of the firm in good standing
    (`policies.can_end_engagement`). An application not yet submitted closes with it (withdrawn,
    so the company may apply through another firm); open invitations stop working. Refused: an
    application already submitted (the applicant withdraws it first, or the secretariat decides
    on it), an engagement already ended. Records stay readable; both sides are emailed.
    """
    policies.can_end_engagement(actor, engagement).require()
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if not lifecycle.ENGAGEMENT.allows("end", locked.status):  # a second click
        raise ValidationError(_("この支援は終了しています。"), code="already_ended")
    side = policies.side_of(actor, engagement)
    assert side is not None  # can_end_engagement checked it
    now = timezone.now()
    revoked = locked.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    end_reason = reason.strip()[:1000]
    transitions.fire(
        locked,
        "end",
        actor=actor,
        side=side,
        action="support.engagement_ended",
        fields={"ended_at": now, "ended_by": actor, "end_reason": end_reason},
        changes={"reason": end_reason, "invitations_revoked": revoked},
    )
    application = Application.objects.filter(engagement=locked).first()
    if application is not None and application.status not in workflow.ENDED:
        # The guard let only an application not yet submitted through: it closes with the support.
        transition(application, name="close_with_support", actor=actor, note=reason.strip()[:500])
    enqueue_on_commit(tasks.send_engagement_ended, locked.pk)
    engagement.status = locked.status
    return locked
