"""The business plan (事業計画書): sections defined by the round, written together by the advisor
and the applicant, each saved with optimistic locking (PlanSection.revision). What a section may
hold is plan_rules.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import plan_rules
from ..models import Application, PlanSection
from ..policies import can_edit_content


@transaction.atomic
def save_plan_section(
    *,
    actor: User,
    application: Application,
    code: str,
    text: str,
    data: dict[str, Any] | None = None,
    expected_revision: int,
) -> PlanSection:
    """Save one section of the plan. The applicant's people or an advisor of the firm in good
    standing, while the application is editable (PermissionDenied otherwise).

    Refuses with EditConflict (its `current` is the section as saved) when the section was saved
    by someone else since `expected_revision` (nothing is overwritten), and with ValidationError
    for text over the round's limit or structured parts that do not hold (milestones outside
    the programme period, ...).
    """
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    )
    can_edit_content(actor, locked).require()
    spec = plan_rules.spec_for(locked.round, code)
    if spec is None:
        raise ValidationError(_("計画書の項目が正しくありません。"), code="unknown_section")
    text = text.replace("\r\n", "\n").strip()
    if plan_rules.char_count(text) > spec.max_chars:
        raise ValidationError(
            {
                "text": [
                    _("%(max)s字以内で入力してください（現在%(count)s字）。")
                    % {"max": spec.max_chars, "count": plan_rules.char_count(text)}
                ]
            }
        )
    cleaned = plan_rules.clean_section_data(locked.round, code, data or {})
    # The application row is locked above, so the section cannot be created twice.
    section = (
        PlanSection.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(application=locked, code=code)
        .first()
    )
    if section is None:
        section = PlanSection(application=locked, code=code)
    if section.pk is not None and section.text == text and section.data == cleaned:
        # Nothing to change: no new revision, no audit entry. Checked before the revision, so
        # a save that repeats what an autosave just stored is not taken for someone else's.
        return section
    if section.revision != expected_revision:
        raise plan_rules.section_conflict(section)
    section.text = text
    section.data = cleaned
    section.revision += 1
    section.updated_by = actor
    section.save()
    audit_record(
        actor=actor,
        action="application.plan_section_saved",
        obj=locked,
        changes={"section": code, "revision": section.revision, "chars": plan_rules.char_count(text)},
    )
    return section
