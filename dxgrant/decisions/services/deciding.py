"""Deciding the round (交付決定): one Decision row per ranked application, frozen with its
numbers, after the committee met. Nothing of it is shown to applicants or advisors until the
round is published (services/publishing.py)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import figures, policies, selectors
from ..models import Decision, Meeting, RoundDecision


@transaction.atomic
def decide_round(*, actor: User, round_obj: Round) -> RoundDecision:
    """Record the round's decision from the committee's ranking as it stands.

    Callers: the secretariat. Refused: no meeting recorded; no reviewed application. Deciding
    twice returns the first decision and writes nothing more."""
    policies.can_run_committee(actor).require()
    locked = Round.objects.select_for_update().get(pk=round_obj.pk)
    existing = RoundDecision.objects.filter(round=locked).first()
    if existing is not None:
        return existing
    meeting = Meeting.objects.filter(round=locked).order_by("-held_on", "-id").first()
    if meeting is None:
        raise ValidationError(_("審査会を記録してから交付決定してください。"))
    committee = selectors.Committee(locked)
    rows = committee.rows
    if not rows:
        raise ValidationError(_("審査の済んだ申請がないため、交付決定できません。"))
    round_decision = RoundDecision.objects.create(
        round=locked,
        meeting=meeting,
        budget_yen=locked.budget_yen,
        awarded_total_yen=committee.awarded_total_yen,
        amount_rule=locked.rules.amount_rule.model_dump(mode="json"),
        decided_by=actor,
    )
    Decision.objects.bulk_create(
        [
            Decision(
                round_decision=round_decision,
                application_id=row.application_id,
                rank=row.ranked.rank,
                score=Decimal(row.aggregate.score),
                eligible_cost_yen=row.sheet.rule.eligible_cost_yen,
                rate=row.sheet.rate,
                proposed_yen=row.sheet.proposed_yen,
                amount_yen=row.ranked.amount_yen,
                outcome=row.ranked.outcome,
                override_reason=row.override.reason if row.override else "",
                sheet=row.sheet.as_json()
                | {
                    "disqualified_because": row.aggregate.disqualified_because,
                    "flagged": row.aggregate.flagged,
                },
                meeting=meeting,
            )
            for row in rows
            if row.ranked is not None
        ],
        batch_size=1000,
    )
    counts = {o: sum(1 for r in rows if r.ranked and r.ranked.outcome == o) for o in figures.OUTCOMES}
    audit_record(
        actor=actor,
        action="decisions.round_decided",
        obj=round_decision,
        changes={
            "round": locked.code,
            "meeting": meeting.pk,
            "budget_yen": locked.budget_yen,
            "awarded_total_yen": committee.awarded_total_yen,
            "counts": counts,
        },
    )
    return round_decision
