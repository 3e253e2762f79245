"""What the round's rules say about the budget (経費明細), without the database. Amounts are
computed, never typed: amount = quantity × unit price plus consumption tax, rounded down to the
yen; the eligible amount is the tax-excluded amount. The plan states costs; it never states the
award.

A line whose tax-excluded amount is at or above the round's quote_threshold_yen needs quotations
from two suppliers (相見積); every other line needs one. The writes are services/budget.py.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dxgrant.core.editing import EditConflict
from dxgrant.core.i18n import localised
from dxgrant.programs.models import Round

from .models import BudgetLine

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
    return [(o.value, localised(o, "label")) for o in round_obj.rules.application.budget_categories]


def quote_threshold(round_obj: Round) -> int:
    return round_obj.rules.application.quote_threshold_yen


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


def line_conflict(current: BudgetLine) -> EditConflict:
    """Someone else changed the line since the editor loaded it: the refusal says what it says
    now and carries it (`current`) for the page."""
    message = _(
        "この明細は、開いている間にほかの方が変更したため、保存していません。"
        "現在の内容：%(item)s／%(vendor)s／数量%(quantity)s／単価%(price)s円。"
        "あなたの入力は残しています。確かめてから、もう一度保存してください。"
    ) % {
        "item": current.item,
        "vendor": current.vendor,
        "quantity": current.quantity,
        "price": f"{current.unit_price_yen:,}",
    }
    return EditConflict(message, current=current)


def validate(round_obj: Round, values: LineValues) -> None:
    """ValidationError keyed by the line form's field names."""
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


def apply(line: BudgetLine, values: LineValues) -> None:
    """Write `values` and the computed amounts onto the line (not saved)."""
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


def audit_values(line: BudgetLine) -> dict[str, Any]:
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


# --- What is left (the task list and the budget page) -----------------------------------------


def supplier_key(name: str) -> str:
    """A supplier's name as stored and compared (full-width letters and digits made half-width,
    runs of spaces made one): "株式会社ＡＢＣ　商事" and "株式会社ABC 商事" are one supplier."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


@dataclass(frozen=True)
class QuoteTally:
    """What the rules need to know of a line's quotations: how many, from how many suppliers,
    the cheapest amount, and the chosen one's amount (None: none chosen)."""

    line: BudgetLine
    count: int
    suppliers: int
    cheapest_yen: int | None
    chosen_yen: int | None
    chosen: bool

    @property
    def needs_reason(self) -> bool:
        """The chosen quotation is not the cheapest."""
        return (
            self.chosen
            and self.chosen_yen is not None
            and self.cheapest_yen is not None
            and self.chosen_yen > self.cheapest_yen
        )


def tally(line: BudgetLine, quotes: Sequence[Any]) -> QuoteTally:
    """The tally of a line from its quotations (ApplicationDocument rows)."""
    amounts = [q.quoted_amount_yen for q in quotes if q.quoted_amount_yen is not None]
    chosen = next((q for q in quotes if q.pk == line.chosen_quote_id), None)
    return QuoteTally(
        line=line,
        count=len(quotes),
        suppliers=len({supplier_key(q.supplier) for q in quotes if supplier_key(q.supplier)}),
        cheapest_yen=min(amounts) if amounts else None,
        chosen_yen=chosen.quoted_amount_yen if chosen is not None else None,
        chosen=chosen is not None,
    )


def problems(round_obj: Round, lines: Sequence[QuoteTally]) -> list[str]:
    """No lines, or a line missing its quotations. A line that needs two (相見積) needs them from
    two different suppliers, one of them chosen, and the reason when the chosen one is not the
    cheapest."""
    if not lines:
        return [_("経費の明細が1行もありません。")]
    found = []
    for quotes in lines:
        line, have = quotes.line, quotes.count
        needed = quotes_required(round_obj, line)
        if have < needed:
            if needed == 2:
                found.append(
                    _(
                        "「%(item)s」は%(threshold)s円（税抜）以上のため、2者以上の見積書（相見積）が必要です（現在%(have)s件）。"
                    )
                    % {"item": line.item, "threshold": f"{quote_threshold(round_obj):,}", "have": have}
                )
            else:
                found.append(_("「%(item)s」の見積書が添付されていません。") % {"item": line.item})
            continue
        if needed < 2:
            continue
        if quotes.suppliers < 2:
            found.append(
                _(
                    "「%(item)s」の見積書は%(n)s者分です。相見積には、別々の2者の見積書が必要です。もう1者の見積書を、業者名と金額を入力して添付してください。"
                )
                % {"item": line.item, "n": quotes.suppliers}
            )
        elif not quotes.chosen:
            found.append(
                _(
                    "「%(item)s」: 相見積のうち、採用する見積書を選んでください（経費明細の「採用する見積書」）。"
                )
                % {"item": line.item}
            )
        elif quotes.needs_reason and not line.choice_reason.strip():
            found.append(
                _(
                    "「%(item)s」: 最安でない見積書を採用する理由を入力してください（経費明細の「採用する見積書」）。"
                )
                % {"item": line.item}
            )
    return found


def status(lines: Sequence[object], found: list[str]) -> str:
    """not_started (no lines), in_progress or completed."""
    if not lines:
        return NOT_STARTED
    return IN_PROGRESS if found else COMPLETED
