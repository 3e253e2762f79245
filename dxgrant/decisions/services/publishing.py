"""Publishing the round's results (採択結果): each decided application moves to awarded or
rejected through the workflow table, its people and lead advisor are emailed, and the results
page and API answer from then on."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.applications.services.transitions import transition
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import figures, policies, tasks
from ..models import RoundDecision


@transaction.atomic
def publish_round(*, actor: User, round_obj: Round) -> RoundDecision:
    """Publish the decided round. Callers: the secretariat, after the decision. Publishing twice
    returns the first publication and sends nothing more."""
    locked = RoundDecision.objects.select_for_update().filter(round=round_obj).first()
    policies.can_publish(actor, locked).require()
    assert locked is not None
    if locked.published_at is not None:
        return locked
    entries = list(locked.entries.order_by("rank"))
    applications = Application.objects.in_bulk([d.application_id for d in entries])
    for entry in entries:
        name = "award" if entry.outcome == figures.AWARDED else "reject"
        transition(applications[entry.application_id], name=name, actor=actor, note=f"rank {entry.rank}")
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor,
        action="decisions.round_published",
        obj=locked,
        changes={
            "round": round_obj.code,
            "entries": len(entries),
            "awarded_total_yen": locked.awarded_total_yen,
        },
    )
    for entry in entries:
        enqueue_on_commit(tasks.send_result, entry.pk)
    return locked
