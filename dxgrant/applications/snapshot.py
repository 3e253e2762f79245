"""The whole application as plain data: frozen at each submission (ApplicationVersion.snapshot),
rendered on the check-your-answers page, the staff detail page and the PDF, and compared
between versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from .models import Application

# The whole application as plain JSON-able data (ApplicationVersion.snapshot).
Snapshot = dict[str, Any]

PROFILE_FIELDS = [
    "entity_type",
    "legal_form",
    "corporate_number",
    "company_name",
    "company_name_kana",
    "representative_name",
    "representative_name_kana",
    "postal_code",
    "prefecture",
    "city",
    "address_line",
    "phone",
    "industry",
    "employees",
    "capital_yen",
    "founded_on",
    "fiscal_year_end_month",
    "sales_last_yen",
    "sales_previous_yen",
    "operating_profit_last_yen",
    "operating_profit_previous_yen",
    "antisocial_ties",
    "legal_compliance",
]
DISCLOSURE_FIELDS = [
    "fee_amount_yen",
    "fee_basis",
    "fee_timing",
    "success_fee_percent",
    "advisor_sells_budget_items",
    "advisor_sales_disclosure",
]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def build_snapshot(application: Application) -> Snapshot:
    """Everything the application says, in a stable JSON-able form."""
    return {
        "round": application.round.code,
        "firm": {
            "name": application.firm.name,
            "certification_number": application.firm.certification_number,
        },
        "profile": {f: _plain(getattr(application, f)) for f in PROFILE_FIELDS},
        "plan": {
            s.code: {"text": s.text, "data": s.data} for s in application.plan_sections.order_by("code")
        },
        "budget": {
            "lines": [
                {
                    "category": line.category,
                    "item": line.item,
                    "vendor": line.vendor,
                    "quantity": line.quantity,
                    "unit_price_yen": line.unit_price_yen,
                    "tax_rate_percent": line.tax_rate_percent,
                    "amount_yen": line.amount_yen,
                    "eligible_amount_yen": line.eligible_amount_yen,
                    # read through the prefetch: one query for all quotes, not one per line
                    "quotes": [
                        {
                            "name": q.original_name,
                            "sha256": q.sha256,
                            "supplier": q.supplier,
                            "amount_yen": q.quoted_amount_yen,
                            "chosen": q.pk == line.chosen_quote_id,
                        }
                        for q in line.quotes.all()
                    ],
                    "choice_reason": line.choice_reason,
                }
                for line in application.budget_lines.prefetch_related("quotes")
            ],
            "budget_total_yen": application.budget_total_yen,
            "eligible_total_yen": application.eligible_total_yen,
        },
        "disclosure": {
            **{f: _plain(getattr(application, f)) for f in DISCLOSURE_FIELDS},
            "confirmed_revision": application.disclosure_confirmed_revision,
        },
        "documents": [
            {"code": d.code, "name": d.original_name, "sha256": d.sha256, "size": d.size}
            for d in application.documents.filter(budget_line__isnull=True)
        ],
        "declarations": [
            {
                "key": a.declaration.key,
                "version": a.declaration.version,
                "accepted_by": a.accepted_by.email,
                "accepted_at": a.accepted_at.isoformat(),
            }
            for a in application.declarations.select_related("declaration", "accepted_by").order_by(
                "declaration__key"
            )
        ],
    }


def quotes_of(line: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A snapshot line's quotations as entries (name, sha256, supplier, amount_yen, chosen);
    versions frozen before quotations had suppliers hold only their SHA-256."""
    return [
        {"name": "", "sha256": q, "supplier": "", "amount_yen": None, "chosen": False}
        if isinstance(q, str)
        else {"name": "", "supplier": "", "amount_yen": None, "chosen": False, **q}
        for q in line.get("quotes") or []
    ]


def digest(snapshot: Snapshot) -> str:
    """A fingerprint of a snapshot: the confirm page carries the one the applicant saw, and the
    submission is refused if the application no longer matches it."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
