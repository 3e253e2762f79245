"""The budget (経費明細): lines with their quotations (見積書). The application's totals are
recomputed from the lines in the same transaction as every change. What a line may say and how
its amounts are computed is budget_rules.py."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from .. import budget_rules
from ..budget_rules import LineValues
from ..document_rules import QUOTES, check_upload, quote_spec
from ..models import Application, ApplicationDocument, BudgetLine
from .documents import lock_editable, store_document


def _recompute_totals(application: Application) -> None:
    totals = application.budget_lines.aggregate(total=Sum("amount_yen"), eligible=Sum("eligible_amount_yen"))
    application.budget_total_yen = totals["total"] or 0
    application.eligible_total_yen = totals["eligible"] or 0
    application.save(update_fields=["budget_total_yen", "eligible_total_yen", "updated_at"])


@transaction.atomic
def add_budget_line(*, actor: User, application: Application, values: LineValues) -> BudgetLine:
    """Add a line and recompute the totals. The applicant's people or an advisor of the firm in
    good standing while the application is editable; refuses invalid values (nothing saved)."""
    locked = lock_editable(actor, application)
    budget_rules.validate(locked.round, values)
    last = locked.budget_lines.order_by("-position").values_list("position", flat=True).first()
    line = BudgetLine(application=locked, position=(last or 0) + 1)
    budget_rules.apply(line, values)
    line.save()
    _recompute_totals(locked)
    audit_record(
        actor=actor,
        action="application.budget_line_added",
        obj=locked,
        changes=budget_rules.audit_values(line),
    )
    application.budget_total_yen, application.eligible_total_yen = (
        locked.budget_total_yen,
        locked.eligible_total_yen,
    )
    return line


@transaction.atomic
def update_budget_line(
    *, actor: User, line: BudgetLine, values: LineValues, expected_fingerprint: str | None = None
) -> BudgetLine:
    """Change a line and recompute the totals. Same people and refusals as add_budget_line.

    With `expected_fingerprint` (the line as the editor loaded it), refuses with EditConflict
    (its `current` is the line as it is now) when someone else changed the line meanwhile, so
    neither overwrites the other unseen."""
    locked = lock_editable(actor, line.application)
    budget_rules.validate(locked.round, values)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    if expected_fingerprint is not None and expected_fingerprint != budget_rules.fingerprint(current):
        raise budget_rules.line_conflict(current)
    budget_rules.apply(current, values)
    current.save()
    _recompute_totals(locked)
    audit_record(
        actor=actor,
        action="application.budget_line_changed",
        obj=locked,
        changes=budget_rules.audit_values(current),
    )
    return current


@transaction.atomic
def delete_budget_line(*, actor: User, line: BudgetLine) -> None:
    """Remove a line with its quotations and recompute the totals. Quotation files are removed
    after the commit."""
    locked = lock_editable(actor, line.application)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    files = [(q.file.storage, q.file.name) for q in current.quotes.all()]
    audit_record(
        actor=actor,
        action="application.budget_line_deleted",
        obj=locked,
        changes=budget_rules.audit_values(current),
    )
    current.delete()
    _recompute_totals(locked)
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def upload_quote(*, actor: User, line: BudgetLine, file: UploadedFile) -> ApplicationDocument:
    """Attach a quotation (見積書) to a line; checked by content and size like every document."""
    locked = lock_editable(actor, line.application)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    content_type = check_upload(file, spec=quote_spec(locked.round), round_obj=locked.round)
    return store_document(
        actor=actor,
        application=locked,
        code=QUOTES,
        file=file,
        content_type=content_type,
        budget_line=current,
    )
