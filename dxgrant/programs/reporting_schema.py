"""What the programme asks after the grant, as round data: `round.rules.reporting`.

Monthly support reports during implementation, plan changes, the results report (実績報告) and the
final amount (額の確定), the yearly KPI reports of the verification (効果検証). Implementation
runs from the applicant's acceptance to the round's programme period end; every due date below
is counted from those dates. Every default lives here and only here.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .schema_base import FieldName, Strict, Text, unique_codes


class EvidenceKind(Strict):
    """One kind of evidence for a cost line of the results report, in the order the dates follow."""

    code: FieldName
    label_ja: Text
    label_en: Text
    # Whether a cost line needs this evidence to be eligible (photos are optional).
    required: bool = True
    # Whether its date takes part in the order check (quotation → order → delivery → invoice → payment).
    dated: bool = True


def _default_evidence() -> list[EvidenceKind]:
    return [
        EvidenceKind(code="quotation", label_ja="見積書", label_en="Quotation"),
        EvidenceKind(code="order", label_ja="発注書・契約書", label_en="Order or contract"),
        EvidenceKind(code="delivery", label_ja="納品書・検収書", label_en="Delivery note"),
        EvidenceKind(code="invoice", label_ja="請求書", label_en="Invoice"),
        EvidenceKind(code="payment", label_ja="支払を証する書類", label_en="Proof of payment"),
        EvidenceKind(code="photo", label_ja="写真", label_en="Photos", required=False, dated=False),
    ]


class ReportingRules(Strict):
    """Due dates and limits of the follow-up after the grant. Defaults here and only here."""

    # The advisor's support report for a month is due on this day of the following month.
    support_report_due_day: int = Field(default=10, ge=1, le=28)
    # Plan changes: the applicant may move at most this share of the plan's total cost between
    # budget lines (the sum of the increases), and the total may not grow.
    plan_change_max_shift_percent: int = Field(default=20, ge=0, le=100)
    # No plan change can be requested later than this many days before the programme period ends.
    plan_change_closes_days_before_end: int = Field(default=30, ge=0, le=365)
    # The results report is due this many days after the programme period ends.
    results_report_due_days: int = Field(default=30, ge=1, le=180)
    # Evidence per cost line, in the order its dates must follow.
    evidence: list[EvidenceKind] = Field(default_factory=_default_evidence, min_length=1)
    # Yearly KPI reports after the results report is approved (効果検証).
    kpi_years: int = Field(default=3, ge=1, le=10)
    # KPI year N's report is due this many months after the N-th anniversary of the approval.
    kpi_report_due_months: int = Field(default=3, ge=1, le=12)

    @model_validator(mode="after")
    def _consistent(self) -> ReportingRules:
        unique_codes(self.evidence, "evidence")
        return self
