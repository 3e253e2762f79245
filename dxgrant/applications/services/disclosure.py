"""The advisor's fee and independence disclosure for one application, and the applicant's
confirmation of it. The confirmation names the disclosure_revision it saw: any later change by
the advisor voids it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.editing import expect_revision
from dxgrant.integrity.services import audit_record

from ..models import Application
from ..policies import can_act_as_applicant, can_edit_content, side_of
from ..snapshot import DISCLOSURE_FIELDS


def advisor_only_message() -> str:
    return _("報酬・独立性の開示は、担当の認定事業者のアドバイザーが記入します。")


@transaction.atomic
def update_disclosure(
    *, application: Application, actor: User, data: dict[str, Any], revision: int
) -> Application:
    """Save the advisor's disclosure.

    Callers: an advisor of the application's firm in good standing while the application is
    editable. Refused: the applicant and anyone else (PermissionDenied); a stale `revision`
    (EditConflict). A change voids the applicant's confirmation.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    side = side_of(actor, locked)
    if not side.is_advisor:
        raise PermissionDenied(advisor_only_message())
    can_edit_content(actor, locked, side).require()
    if set(data) - set(DISCLOSURE_FIELDS):
        raise ValidationError(_("受け付けていない項目があります。"))
    expect_revision(locked.disclosure_revision, revision)
    if data.get("advisor_sells_budget_items") and not data.get("advisor_sales_disclosure"):
        raise ValidationError(_("アドバイザーまたは関係者が販売する品目を記載してください。"))
    changed = sorted(name for name, value in data.items() if getattr(locked, name) != value)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.disclosure_revision += 1
    voided = locked.disclosure_confirmed_revision is not None and bool(changed)
    if voided:
        locked.disclosure_confirmed_by = None
        locked.disclosure_confirmed_at = None
        locked.disclosure_confirmed_revision = None
    locked.save()
    audit_record(
        actor=actor,
        action="application.disclosure_saved",
        obj=locked,
        changes={"fields": changed, "revision": locked.disclosure_revision, "confirmation_voided": voided},
    )
    return locked


@transaction.atomic
def confirm_disclosure(*, application: Application, actor: User, revision: int) -> Application:
    """The applicant confirms the disclosure as shown to them.

    Callers: the applicant's people only (`can_act_as_applicant`), never the advisor. Refused: a
    `revision` that is not the current one (the advisor changed it meanwhile: EditConflict), an
    incomplete disclosure, an application that is not editable.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    can_act_as_applicant(actor, locked).require()
    if not locked.is_editable:
        raise PermissionDenied(_("この申請は現在編集できません。"))
    expect_revision(
        locked.disclosure_revision,
        revision,
        message=_(
            "アドバイザーが開示内容を変更しました。最新の内容を確認してから、もう一度確認してください。"
        ),
    )
    if (
        locked.disclosure_revision == 0
        or locked.fee_amount_yen is None
        or locked.advisor_sells_budget_items is None
    ):
        raise ValidationError(_("アドバイザーがまだ開示を記入していません。"))
    locked.disclosure_confirmed_by = actor
    locked.disclosure_confirmed_at = timezone.now()
    locked.disclosure_confirmed_revision = locked.disclosure_revision
    locked.save(
        update_fields=[
            "disclosure_confirmed_by",
            "disclosure_confirmed_at",
            "disclosure_confirmed_revision",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="application.disclosure_confirmed",
        obj=locked,
        changes={"revision": locked.disclosure_revision},
    )
    return locked
