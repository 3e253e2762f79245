"""The results report's checks (reporting/results_rules.py), with worked dates.

Programme period 2026-04-01 … 2026-12-31; evidence kinds as the round's default: quotation →
order → delivery → invoice → payment, photos optional and undated."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from dxgrant.programs.reporting_schema import ReportingRules
from dxgrant.reporting import results_rules as rules

KINDS = ReportingRules().evidence
PERIOD = (dt.date(2026, 4, 1), dt.date(2026, 12, 31))
D = dt.date


def _line(actual=900_000, planned=1_000_000, vendor="", number="", item="クラウド会計", **dates):
    evidence = {
        "quotation": [D(2026, 4, 10)],
        "order": [D(2026, 5, 1)],
        "delivery": [D(2026, 6, 1)],
        "invoice": [D(2026, 6, 1)],  # equal to the delivery: allowed
        "payment": [D(2026, 6, 30)],
    }
    evidence.update(dates)
    evidence = {k: v for k, v in evidence.items() if v is not None}
    return rules.LineFacts(0, item, planned, actual, vendor, number, evidence)


def codes(findings):
    return [f.code for f in findings]


def test_a_complete_line_in_order_inside_the_period_has_no_finding():
    assert rules.check_line(_line(), KINDS, PERIOD) == []


def test_missing_required_evidence_blocks_but_photos_are_optional():
    findings = rules.check_line(_line(invoice=None), KINDS, PERIOD)
    assert codes(findings) == [rules.MISSING_EVIDENCE]
    assert findings[0].blocking and "請求書" in findings[0].message


def test_an_order_before_its_quotation_is_out_of_order():
    # quotation 2026-04-10, order 2026-04-09: one day early.
    findings = rules.check_line(_line(order=[D(2026, 4, 9)]), KINDS, PERIOD)
    assert codes(findings) == [rules.DATE_ORDER]
    assert "2026-04-09" in findings[0].message and "見積書" in findings[0].message


def test_a_payment_after_the_period_is_outside_it():
    findings = rules.check_line(_line(payment=[D(2027, 1, 5)]), KINDS, PERIOD)
    assert codes(findings) == [rules.OUTSIDE_PERIOD]
    assert findings[0].blocking


def test_a_quotation_before_the_period_is_outside_it():
    assert codes(rules.check_line(_line(quotation=[D(2026, 3, 31)]), KINDS, PERIOD)) == [rules.OUTSIDE_PERIOD]


def test_over_the_plan_is_flagged_not_blocking_and_capped():
    line = _line(actual=1_200_000)
    findings = rules.check_line(line, KINDS, PERIOD)
    assert codes(findings) == [rules.OVER_PLAN] and not findings[0].blocking
    assert rules.eligible_yen([(line, findings)]) == 1_000_000


def test_the_advisors_firm_matches_by_name_with_nfkc_and_legal_form_or_by_number():
    relations = rules.Relations(firm_name="株式会社ＤＸ支援", firm_corporate_number="1234567890123")
    by_name = rules.check_line(_line(vendor="(株) DX支援"), KINDS, PERIOD, relations)
    by_number = rules.check_line(
        _line(vendor="別名", number="１２３４５６７８９０１２３"), KINDS, PERIOD, relations
    )
    other = rules.check_line(_line(vendor="株式会社ヤマダ"), KINDS, PERIOD, relations)
    assert codes(by_name) == codes(by_number) == [rules.ADVISOR_FIRM]
    assert not by_name[0].blocking and other == []


def test_a_disclosed_related_party_item_is_flagged():
    relations = rules.Relations(
        firm_name="株式会社ＤＸ支援", advisor_sells_items=True, disclosure="クラウド会計ソフトの販売"
    )
    assert codes(rules.check_line(_line(item="クラウド会計"), KINDS, PERIOD, relations)) == [
        rules.RELATED_PARTY
    ]
    assert rules.check_line(_line(item="ノートPC"), KINDS, PERIOD, relations) == []


def test_eligible_sums_min_of_actual_and_planned_leaving_out_blocked_lines():
    ok = _line(actual=800_000, planned=1_000_000)
    over = _line(actual=600_000, planned=500_000)
    blocked = _line(actual=300_000, planned=300_000, payment=None)
    lines = [(x, rules.check_line(x, KINDS, PERIOD)) for x in (ok, over, blocked)]
    # 800,000 + min(600,000, 500,000) = 1,300,000; the line without proof of payment counts 0.
    assert rules.eligible_yen(lines) == 1_300_000
    assert rules.has_blocking(f for _, f in lines)


def test_an_evidence_kind_is_named_in_the_current_language_not_by_its_code():
    kinds = ReportingRules().evidence
    assert rules.kind_label(kinds, "quotation") == "見積書"
    assert rules.kind_label(kinds, "payment") == "支払を証する書類"
    with translation.override("en"):
        assert rules.kind_label(kinds, "quotation") == "Quotation"
    # A code the round no longer lists is shown as stored.
    assert rules.kind_label(kinds, "receipt") == "receipt"
