"""The company profile (会社概要): written by the applicant and the advisor, saved with optimistic
locking so two people editing at once never silently overwrite each other."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.editing import expect_revision
from dxgrant.integrity.services import audit_record

from ..models import Application
from ..policies import can_edit_content
from ..snapshot import PROFILE_FIELDS
from .duplicates import company_key


@transaction.atomic
def update_profile(
    *, application: Application, actor: User, data: dict[str, Any], revision: int
) -> Application:
    """Save the profile fields in `data` (names from snapshot.PROFILE_FIELDS).

    Callers: the applicant's people, or an advisor of the firm in good standing, while the
    application is editable (`can_edit_content`; PermissionDenied otherwise). Refused: a
    `revision` older than the stored one (EditConflict; nothing saved), unknown fields.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    can_edit_content(actor, locked).require()
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("受け付けていない項目があります。"))
    expect_revision(locked.profile_revision, revision)
    changed = {name: value for name, value in data.items() if getattr(locked, name) != value}
    for name, value in changed.items():
        setattr(locked, name, value)
    if not locked.company_name:
        raise ValidationError(_("会社名・屋号を入力してください。"))
    locked.company_key = company_key(
        corporate_number=locked.corporate_number, company_name=locked.company_name
    )
    locked.profile_revision += 1
    # The yes/no facts may stay unanswered while the profile is being written (null, not blank).
    locked.full_clean(
        exclude=[
            "round",
            "engagement",
            "firm",
            "antisocial_ties",
            "legal_compliance",
            "advisor_sells_budget_items",
        ]
    )
    locked.save()
    audit_record(
        actor=actor,
        action="application.profile_saved",
        obj=locked,
        changes={"fields": sorted(changed), "revision": locked.profile_revision},
    )
    return locked
