"""Declarations (宣誓・同意): the applicant's own act. Each box starts unticked; who ticked it,
when and from which address is kept, against the exact wording version shown."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from ..completeness import current_declarations
from ..models import Application, DeclarationAcceptance
from ..policies import can_act_as_applicant


@transaction.atomic
def accept_declarations(
    *, application: Application, actor: User, declaration_ids: list[int], ip_address: str | None
) -> list[DeclarationAcceptance]:
    """Record the declarations the applicant ticked.

    Callers: the applicant's people only; an advisor or staff member is refused (PermissionDenied)
    and nothing is recorded. Refused also: an application that is not editable, an id that is
    not one of the round's current declarations. Already accepted ones are kept as they were.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    can_act_as_applicant(actor, locked).require()
    if not locked.is_editable:
        raise PermissionDenied(_("この申請は現在編集できません。"))
    current = {d.pk: d for d in current_declarations(locked)}
    if not declaration_ids:
        raise ValidationError(_("宣誓・同意する項目にチェックを入れてください。"))
    if any(pk not in current for pk in declaration_ids):
        raise ValidationError(_("この文言は現在の宣誓・同意ではありません。ページを開き直してください。"))
    already = set(locked.declarations.values_list("declaration_id", flat=True))
    now = timezone.now()
    created = [
        DeclarationAcceptance.objects.create(
            application=locked,
            declaration=current[pk],
            accepted_by=actor,
            accepted_at=now,
            ip_address=ip_address,
        )
        for pk in sorted(set(declaration_ids) - already)
    ]
    if created:
        audit_record(
            actor=actor,
            action="application.declarations_accepted",
            obj=locked,
            changes={
                "declarations": [f"{a.declaration.key}@{a.declaration.version}" for a in created],
                "ip": ip_address,
            },
        )
    return created
