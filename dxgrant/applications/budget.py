"""The budget (経費明細): lines with their quotations (見積書). Amounts are computed, never typed:
amount = quantity × unit price plus consumption tax, rounded down to the yen; the eligible amount
is the tax-excluded amount. The application's totals are recomputed from the lines in the same
transaction as every change. The plan states costs; it never states the award.

A line whose tax-excluded amount is at or above the round's quote_threshold_yen needs quotations
from two suppliers (相見積); every other line needs one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .documents import QUOTES, check_upload, quote_spec, store_document
from .models import Application, ApplicationDocument, BudgetLine
from .policies import can_edit_content

TAX_RATES = (10, 8, 0)
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
MAX_QUANTITY = 1_000_000
MAX_UNIT_PRICE_YEN = 10_000_000_000


@dataclass(frozen=True)
class LineValues:
    category: str
    item: str
    vendor: str
    quantity: int
    unit_price_yen: int
    tax_rate_percent: int


def compute_amounts(*, quantity: int, unit_price_yen: int, tax_rate_percent: int) -> tuple[int, int]:
    """(amount including tax rounded down to the yen, eligible amount = tax excluded)."""
    excluded = quantity * unit_price_yen
    return excluded * (100 + tax_rate_percent) // 100, excluded


def category_choices(round_obj: Round) -> list[tuple[str, str]]:
    return [
        (o["value"], localised(o, "label")) for o in round_obj.application_rules.get("budget_categories", [])
    ]


def quote_threshold(round_obj: Round) -> int:
    return int(round_obj.application_rules.get("quote_threshold_yen", 0))


def quotes_required(round_obj: Round, line: BudgetLine) -> int:
    """Two quotations (相見積) at or above the threshold (tax excluded); one below it."""
    return 2 if line.eligible_amount_yen >= quote_threshold(round_obj) else 1


def fingerprint(line: BudgetLine) -> str:
    """What the line says, condensed: an editor sends back the one it loaded."""
    values = [
        line.category,
        line.item,
        line.vendor,
        line.quantity,
        line.unit_price_yen,
        line.tax_rate_percent,
    ]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()[:16]


class LineConflict(ValidationError):
    """Someone else changed the line since the editor loaded it."""

    def __init__(self, current: BudgetLine) -> None:
        super().__init__(
            _(
                "この明細は、開いている間にほかの方が変更したため、保存していません。"
                "現在の内容：%(item)s／%(vendor)s／数量%(quantity)s／単価%(price)s円。"
                "あなたの入力は残しています。確かめてから、もう一度保存してください。"
            )
            % {
                "item": current.item,
                "vendor": current.vendor,
                "quantity": current.quantity,
                "price": f"{current.unit_price_yen:,}",
            },
            code="conflict",
        )
        self.current = current


def _lock_editable(actor: Any, application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    )
    allowed, reason = can_edit_content(actor, locked)
    if not allowed:
        raise PermissionDenied(reason)
    return locked


def _validate(round_obj: Round, values: LineValues) -> None:
    errors: dict[str, list[str]] = {}
    if values.category not in {v for v, _label in category_choices(round_obj)}:
        errors["category"] = [_("経費区分を選んでください。")]
    if not values.item.strip():
        errors["item"] = [_("品目を入力してください。")]
    if not values.vendor.strip():
        errors["vendor"] = [_("発注先を入力してください。")]
    if not 1 <= values.quantity <= MAX_QUANTITY:
        errors["quantity"] = [_("数量は1以上の整数で入力してください。")]
    if not 0 <= values.unit_price_yen <= MAX_UNIT_PRICE_YEN:
        errors["unit_price_yen"] = [_("単価は0円以上で入力してください。")]
    if values.tax_rate_percent not in TAX_RATES:
        errors["tax_rate_percent"] = [_("消費税率を選んでください。")]
    if errors:
        raise ValidationError(errors)


def _recompute_totals(application: Application) -> None:
    totals = application.budget_lines.aggregate(total=Sum("amount_yen"), eligible=Sum("eligible_amount_yen"))
    application.budget_total_yen = totals["total"] or 0
    application.eligible_total_yen = totals["eligible"] or 0
    application.save(update_fields=["budget_total_yen", "eligible_total_yen", "updated_at"])


def _apply(line: BudgetLine, values: LineValues) -> None:
    line.category = values.category
    line.item = values.item.strip()
    line.vendor = values.vendor.strip()
    line.quantity = values.quantity
    line.unit_price_yen = values.unit_price_yen
    line.tax_rate_percent = values.tax_rate_percent
    line.amount_yen, line.eligible_amount_yen = compute_amounts(
        quantity=values.quantity,
        unit_price_yen=values.unit_price_yen,
        tax_rate_percent=values.tax_rate_percent,
    )


def _audit_values(line: BudgetLine) -> dict[str, Any]:
    return {
        "line": line.pk,
        "category": line.category,
        "item": line.item,
        "vendor": line.vendor,
        "quantity": line.quantity,
        "unit_price_yen": line.unit_price_yen,
        "tax_rate_percent": line.tax_rate_percent,
        "amount_yen": line.amount_yen,
    }


@transaction.atomic
def add_budget_line(*, actor: Any, application: Application, values: LineValues) -> BudgetLine:
    """Add a line and recompute the totals. The applicant's people or an advisor of the firm in
    good standing while the application is editable; refuses invalid values (nothing saved)."""
    locked = _lock_editable(actor, application)
    _validate(locked.round, values)
    last = locked.budget_lines.order_by("-position").values_list("position", flat=True).first()
    line = BudgetLine(application=locked, position=(last or 0) + 1)
    _apply(line, values)
    line.save()
    _recompute_totals(locked)
    audit_record(actor=actor, action="application.budget_line_added", obj=locked, changes=_audit_values(line))
    application.budget_total_yen, application.eligible_total_yen = (
        locked.budget_total_yen,
        locked.eligible_total_yen,
    )
    return line


@transaction.atomic
def update_budget_line(
    *, actor: Any, line: BudgetLine, values: LineValues, expected_fingerprint: str | None = None
) -> BudgetLine:
    """Change a line and recompute the totals. Same people and refusals as add_budget_line.

    With `expected_fingerprint` (the line as the editor loaded it), refuses with LineConflict
    when someone else changed the line meanwhile, so neither overwrites the other unseen."""
    locked = _lock_editable(actor, line.application)
    _validate(locked.round, values)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    if expected_fingerprint is not None and expected_fingerprint != fingerprint(current):
        raise LineConflict(current)
    _apply(current, values)
    current.save()
    _recompute_totals(locked)
    audit_record(
        actor=actor, action="application.budget_line_changed", obj=locked, changes=_audit_values(current)
    )
    return current


@transaction.atomic
def delete_budget_line(*, actor: Any, line: BudgetLine) -> None:
    """Remove a line with its quotations and recompute the totals. Quotation files are removed
    after the commit."""
    locked = _lock_editable(actor, line.application)
    current = BudgetLine.objects.get(pk=line.pk, application=locked)
    files = [(q.file.storage, q.file.name) for q in current.quotes.all()]
    audit_record(
        actor=actor, action="application.budget_line_deleted", obj=locked, changes=_audit_values(current)
    )
    current.delete()
    _recompute_totals(locked)
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


@transaction.atomic
def upload_quote(*, actor: Any, line: BudgetLine, file: UploadedFile) -> ApplicationDocument:
    """Attach a quotation (見積書) to a line; checked by content and size like every document."""
    locked = _lock_editable(actor, line.application)
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


# --- For the task list ------------------------------------------------------------------------


def _lines_with_quote_counts(application: Application) -> list[BudgetLine]:
    return list(application.budget_lines.annotate(quote_count=Count("quotes")))


def _problems(application: Application, lines: list[BudgetLine]) -> list[str]:
    if not lines:
        return [_("経費の明細が1行もありません。")]
    problems = []
    for line in lines:
        needed = quotes_required(application.round, line)
        have = int(getattr(line, "quote_count", 0))
        if have < needed:
            if needed == 2:
                problems.append(
                    _(
                        "「%(item)s」は%(threshold)s円（税抜）以上のため、2者以上の見積書（相見積）が必要です（現在%(have)s件）。"
                    )
                    % {
                        "item": line.item,
                        "threshold": f"{quote_threshold(application.round):,}",
                        "have": have,
                    }
                )
            else:
                problems.append(_("「%(item)s」の見積書が添付されていません。") % {"item": line.item})
    return problems


def budget_problems(application: Application) -> list[str]:
    """No lines, or a line missing its quotations, in Japanese. One query."""
    return _problems(application, _lines_with_quote_counts(application))


def budget_status(application: Application) -> str:
    """not_started (no lines), in_progress or completed. One query."""
    lines = _lines_with_quote_counts(application)
    if not lines:
        return NOT_STARTED
    return COMPLETED if not _problems(application, lines) else IN_PROGRESS
