"""The round's budget (予算額), set by the secretariat before the decision."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import policies
from ..models import RoundDecision

MAX_BUDGET_YEN = 10**13


@transaction.atomic
def set_budget(*, actor: User, round_obj: Round, budget_yen: int) -> Round:
    """Change the round's budget; audited with the old and new values.

    Callers: the secretariat, before the round is decided. Refused: zero or less, or above ten
    trillion yen (ValidationError naming the field)."""
    locked = Round.objects.select_for_update().get(pk=round_obj.pk)
    policies.can_change_round(actor, locked, RoundDecision.objects.filter(round=locked).first()).require()
    if not 0 < budget_yen <= MAX_BUDGET_YEN:
        raise ValidationError({"budget_yen": [_("予算額は1円以上の金額を入力してください。")]})
    before = locked.budget_yen
    locked.budget_yen = budget_yen
    locked.save(update_fields=["budget_yen", "updated_at"])
    audit_record(
        actor=actor, action="decisions.budget_changed", obj=locked, changes={"from": before, "to": budget_yen}
    )
    round_obj.budget_yen = budget_yen
    return locked
