"""The budget (経費明細): lines with their quotations (見積書). The application's totals are
recomputed from the lines in the same transaction as every change. What a line may say and how
its amounts are computed is budget_rules.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.uploads import sha256_of
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
def upload_quote(
    *, actor: User, line: BudgetLine, file: UploadedFile, supplier: str, amount_yen: int | None
) -> ApplicationDocument:
    """Attach a quotation (見積書) to a line with its supplier and amount (税抜); the file is
    checked by content and size like every document.

    Refused: no supplier, no amount (or a negative one), a file with the same content (SHA-256)
    as one already attached to the line: the two quotations of 相見積 are two suppliers' files.
    """
    locked = lock_editable(actor, line.application)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    supplier = budget_rules.supplier_key(supplier)
    errors: dict[str, list[str]] = {}
    if not supplier:
        errors["supplier"] = [_("見積元の業者名を入力してください（見積書に書かれている発行元の名前）。")]
    if amount_yen is None or amount_yen < 0:
        errors["amount_yen"] = [_("見積金額（税抜・円）を、見積書に書かれている金額で入力してください。")]
    if errors:
        raise ValidationError(errors)
    content_type = check_upload(file, spec=quote_spec(locked.round), round_obj=locked.round)
    digest = sha256_of(file)
    same = current.quotes.filter(sha256=digest).first()
    if same is not None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "このファイルは、この明細にすでに添付されている見積書「%(name)s」と同じ内容です"
                        "（SHA-256 %(hash)s）。相見積には、別の業者が発行した見積書を添付してください。"
                    )
                    % {"name": same.original_name, "hash": digest[:16]}
                ]
            }
        )
    return store_document(
        actor=actor,
        application=locked,
        code=QUOTES,
        file=file,
        content_type=content_type,
        budget_line=current,
        supplier=supplier,
        quoted_amount_yen=amount_yen,
    )


@transaction.atomic
def choose_quote(*, actor: User, line: BudgetLine, quote_id: int | None, reason: str) -> BudgetLine:
    """Record which of the line's quotations the purchase is made on, and why when it is not the
    cheapest. Same people as the other budget changes (in practice the advisor).

    Refused: a quotation not attached to this line; no reason when a cheaper quotation exists."""
    locked = lock_editable(actor, line.application)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    quotes = list(current.quotes.all())
    chosen = next((q for q in quotes if q.pk == quote_id), None)
    if chosen is None:
        raise ValidationError({"quote": [_("採用する見積書を、この明細の見積書から選んでください。")]})
    reason = reason.strip()
    current.chosen_quote = chosen
    if budget_rules.tally(current, quotes).needs_reason and not reason:
        raise ValidationError(
            {
                "reason": [
                    _(
                        "採用する見積書より安い見積書があります。最安でない見積書を採用する理由"
                        "（例: 保守体制、納期、機能の違い）を入力してください。"
                    )
                ]
            }
        )
    current.choice_reason = reason
    current.save(update_fields=["chosen_quote", "choice_reason"])
    audit_record(
        actor=actor,
        action="application.quote_chosen",
        obj=locked,
        changes={
            "budget_line": current.pk,
            "document": chosen.pk,
            "supplier": chosen.supplier,
            "amount_yen": chosen.quoted_amount_yen,
            "sha256": chosen.sha256,
            "reason": reason,
        },
    )
    return current
