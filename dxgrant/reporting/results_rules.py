"""The checks of the results report (実績報告), with no database: per cost line, the evidence
required by the round is there, its dates follow the order of the evidence kinds (quotation →
order → delivery → invoice → payment; equal dates allowed) and lie inside the programme period,
the actual cost against the plan, and whether the vendor is the advisor's firm or a related party.

Blocking findings (missing evidence, dates out of order or out of the period) stop the applicant
from confirming and leave the line out of the eligible cost; flags (over the plan, the advisor's
firm, a related party) do not block and are shown to the secretariat. The eligible cost of a
line is capped at its planned eligible amount.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.programs.reporting_schema import EvidenceKind

# Finding codes (untranslated keys; the message is for people).
MISSING_ACTUAL = "missing_actual"
MISSING_EVIDENCE = "missing_evidence"
MISSING_DATE = "missing_date"
DATE_ORDER = "date_order"
OUTSIDE_PERIOD = "outside_period"
OVER_PLAN = "over_plan"
ADVISOR_FIRM = "advisor_firm"
RELATED_PARTY = "related_party"

BLOCKING = frozenset({MISSING_ACTUAL, MISSING_EVIDENCE, MISSING_DATE, DATE_ORDER, OUTSIDE_PERIOD})


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.code in BLOCKING


@dataclass(frozen=True)
class LineFacts:
    """One cost line as the checks see it: the plan's figure and what was reported."""

    index: int
    item: str
    planned_yen: int
    actual_yen: int | None
    vendor_name: str = ""
    vendor_corporate_number: str = ""
    # Evidence kind code → the dates of its files (None for an undated file).
    evidence: Mapping[str, Sequence[dt.date | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Relations:
    """Who counts as the advisor's side: the firm's name and corporate number, and what the
    application disclosed (`advisor_sells_budget_items`, with the items in free text)."""

    firm_name: str = ""
    firm_corporate_number: str = ""
    advisor_sells_items: bool = False
    disclosure: str = ""


def normalised(text: str) -> str:
    """NFKC, no spaces, lower case: "株式会社　ＤＸ支援" and "株式会社DX支援" are one name."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def _name_core(text: str) -> str:
    """The name without the legal form words, so that "(株)ヤマダ" matches "株式会社ヤマダ"."""
    core = normalised(text)
    for word in ("株式会社", "(株)", "㈱", "有限会社", "(有)", "合同会社", "(同)", "一般社団法人"):
        core = core.replace(normalised(word), "")
    return core


def check_line(
    line: LineFacts,
    kinds: Sequence[EvidenceKind],
    period: tuple[dt.date, dt.date],
    relations: Relations = Relations(),
) -> list[Finding]:
    """Every finding of one line, blocking ones first in the order of the evidence kinds."""
    findings: list[Finding] = []
    if line.actual_yen is None:
        findings.append(Finding(MISSING_ACTUAL, _("実績額が入力されていません。")))
    starts, ends = period
    previous: tuple[EvidenceKind, dt.date] | None = None
    for kind in kinds:
        label = localised(kind, "label")
        dates = list(line.evidence.get(kind.code, ()))
        if not dates:
            if kind.required:
                findings.append(
                    Finding(MISSING_EVIDENCE, _("「%(kind)s」が添付されていません。") % {"kind": label})
                )
            continue
        if not kind.dated:
            continue
        known = [d for d in dates if d is not None]
        if len(known) < len(dates):
            findings.append(
                Finding(MISSING_DATE, _("「%(kind)s」の日付が入力されていません。") % {"kind": label})
            )
        for day in known:
            if day < starts or day > ends:
                findings.append(
                    Finding(
                        OUTSIDE_PERIOD,
                        _("「%(kind)s」の日付（%(date)s）が事業実施期間（%(starts)s〜%(ends)s）の外です。")
                        % {"kind": label, "date": day, "starts": starts, "ends": ends},
                    )
                )
        if not known:
            continue
        earliest, latest = min(known), max(known)
        if previous is not None and earliest < previous[1]:
            before = localised(previous[0], "label")
            findings.append(
                Finding(
                    DATE_ORDER,
                    _("「%(kind)s」の日付（%(date)s）が「%(before)s」の日付（%(before_date)s）より前です。")
                    % {"kind": label, "date": earliest, "before": before, "before_date": previous[1]},
                )
            )
        previous = (kind, latest)
    if line.actual_yen is not None and line.actual_yen > line.planned_yen:
        findings.append(
            Finding(
                OVER_PLAN,
                _("実績額が計画額（%(planned)s円）を超えています。補助対象は計画額までです。")
                % {"planned": f"{line.planned_yen:,}"},
            )
        )
    findings.extend(_relation_findings(line, relations))
    return sorted(findings, key=lambda f: not f.blocking)


def _relation_findings(line: LineFacts, relations: Relations) -> list[Finding]:
    vendor = _name_core(line.vendor_name)
    number = normalised(line.vendor_corporate_number)
    firm_number = normalised(relations.firm_corporate_number)
    if (number and firm_number and number == firm_number) or (
        vendor and vendor == _name_core(relations.firm_name)
    ):
        return [Finding(ADVISOR_FIRM, _("支払先が担当アドバイザーの認定事業者です（関係者取引）。"))]
    if relations.advisor_sells_items:
        disclosed = normalised(relations.disclosure)
        item = normalised(line.item)
        if (vendor and vendor in disclosed) or (item and item in disclosed) or not disclosed:
            return [
                Finding(
                    RELATED_PARTY,
                    _("アドバイザーまたは関係者が販売すると申告された品目・支払先です（関係者取引）。"),
                )
            ]
    return []


def eligible_yen(lines: Iterable[tuple[LineFacts, Sequence[Finding]]]) -> int:
    """The eligible actual cost: over the lines without a blocking finding, the actual amount
    capped at the planned eligible amount."""
    total = 0
    for line, findings in lines:
        if line.actual_yen is None or any(f.blocking for f in findings):
            continue
        total += min(line.actual_yen, line.planned_yen)
    return total


def has_blocking(findings_by_line: Iterable[Sequence[Finding]]) -> bool:
    return any(f.blocking for findings in findings_by_line for f in findings)


def kind_label(kinds: Sequence[EvidenceKind], code: str) -> str:
    """The name of an evidence kind in the current language (見積書, not "quotation"); a code the
    round no longer lists is shown as it is stored."""
    for kind in kinds:
        if kind.code == code:
            return localised(kind, "label")
    return code
