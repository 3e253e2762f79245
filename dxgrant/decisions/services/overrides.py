"""The committee's changes to the rule's result for one application: an outcome changed or the
amount reduced, each with its reason. The rule's amount is the ceiling: never raised."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record

from .. import policies, selectors
from ..models import Outcome, Override, RoundDecision


@transaction.atomic
def record_override(
    *, actor: User, application: Application, forced_outcome: str, decided_yen: int | None, reason: str
) -> Override:
    """Record (or replace) the committee's change for an application under review.

    Callers: the secretariat, before the round is decided. Refused: no reason; nothing changed;
    an amount above the rule's amount or below zero; awarding an application the rule gives no
    amount. Audited with the values before and after."""
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    round_obj = locked.round
    policies.can_change_round(
        actor, round_obj, RoundDecision.objects.filter(round=round_obj).first()
    ).require()
    if locked.status != workflow.IN_REVIEW:
        raise ValidationError(_("交付審査中の申請のみ変更できます。"))
    facts = selectors.application_figures(round_obj, locked.pk)
    if facts.sheet is None:
        raise ValidationError(_("提出された評点がないため、変更できません。"))
    sheet = facts.sheet
    # The ceiling: the rule's amount; for an application the committee awards against the rule's
    # outcome (below the floor or the pass score), the rule's arithmetic before those checks.
    fundable = sheet.outcome_by_rule == "fundable"
    proposed = sheet.proposed_yen if fundable or forced_outcome != Outcome.AWARDED else sheet.rule.rule_yen
    errors: dict[str, list[str]] = {}
    if forced_outcome not in ["", Outcome.AWARDED, Outcome.REJECTED]:
        errors["forced_outcome"] = [_("結果の変更を選び直してください。")]
    if decided_yen is not None and not 0 <= decided_yen <= proposed:
        errors["decided_yen"] = [
            _("金額は算定額（%(proposed)s円）以下にしてください。算定額を超える増額はできません。")
            % {"proposed": f"{proposed:,}"}
        ]
    if forced_outcome == Outcome.AWARDED and (proposed == 0 or sheet.disqualified):
        errors["forced_outcome"] = [_("算定額が0円の申請や失格の申請は採択にできません。")]
    if not forced_outcome and decided_yen is None:
        errors["forced_outcome"] = [_("結果の変更か減額後の金額の、少なくとも一方を入力してください。")]
    if not reason.strip():
        errors["reason"] = [_("変更の理由を入力してください。")]
    if errors:
        raise ValidationError(errors)
    override = Override.objects.filter(application=locked).first()
    before = (
        {
            "forced_outcome": override.forced_outcome,
            "decided_yen": override.decided_yen,
            "reason": override.reason,
        }
        if override
        else None
    )
    override = override or Override(application=locked)
    override.forced_outcome = forced_outcome
    override.decided_yen = decided_yen
    override.reason = reason.strip()
    override.recorded_by = actor
    override.save()
    audit_record(
        actor=actor,
        action="decisions.override_recorded",
        obj=locked,
        changes={
            "before": before,
            "forced_outcome": forced_outcome,
            "decided_yen": decided_yen,
            "proposed_yen": proposed,
            "reason": override.reason,
        },
    )
    return override
