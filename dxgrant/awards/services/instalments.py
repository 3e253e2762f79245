"""The instalments of an award: created when the applicant accepts, due when their event happens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record

from ..instalment_split import split
from ..models import Instalment, InstalmentStatus, InstalmentTrigger


@transaction.atomic
def create_instalments(application: Application, *, actor: User | None = None) -> list[Instalment]:
    """The award's instalments from the round's rules (`round.rules.awards.instalments`), the
    decided amount split by `instalment_split.split`. Those due after acceptance are due at once.

    Called by the acceptance service inside its transaction. Idempotent: an application that
    already has its instalments gets them back unchanged. Refused: no awarded decision.
    """
    existing = list(Instalment.objects.filter(application=application).order_by("position"))
    if existing:
        return existing
    decision = getattr(application, "decision", None)
    if decision is None or decision.outcome != "awarded" or decision.amount_yen <= 0:
        raise ValidationError(_("交付決定額が決まっていないため、分割交付を作成できません。"))
    rules = application.round.rules.awards.instalments
    amounts = dict(split(decision.amount_yen, rules))
    instalments = [
        Instalment(
            application=application,
            position=number,
            code=rule.code,
            label_ja=rule.label_ja,
            label_en=rule.label_en,
            amount_yen=amounts[rule.code],
            due_after=rule.due_after,
            status=InstalmentStatus.DUE if rule.due_after == "acceptance" else InstalmentStatus.PENDING,
        )
        for number, rule in enumerate(rules, start=1)
    ]
    Instalment.objects.bulk_create(instalments)
    audit_record(
        actor=actor,
        action="awards.instalments_created",
        obj=application,
        changes={"instalments": [[i.code, i.amount_yen, i.status] for i in instalments]},
    )
    return list(Instalment.objects.filter(application=application).order_by("position"))


@transaction.atomic
def mark_due(application: Application, *, trigger: str, actor: User | None = None) -> int:
    """The event `trigger` (for example "results_report_approved") happened: its pending
    instalments become due. Returns how many did; a second call changes nothing."""
    if trigger not in InstalmentTrigger.values:
        raise ValidationError(_("支払条件が不明です。"))
    changed = Instalment.objects.filter(
        application=application, due_after=trigger, status=InstalmentStatus.PENDING
    ).update(status=InstalmentStatus.DUE)
    if changed:
        audit_record(
            actor=actor, action="awards.instalments_due", obj=application, changes={"trigger": trigger}
        )
    return changed
