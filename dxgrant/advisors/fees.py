"""What a firm discloses about its fees, checked for contradictions and for what the secretariat
should look at. Pure: reads the firm's columns and the programme's rules, never the database."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dxgrant.programs.schema import AdvisorCertification

from .models import AdvisorFirm, FeeTiming

# Fees charged on these occasions can fall before the grant is decided.
ADVANCE_TIMINGS = (FeeTiming.BEFORE_DECISION, FeeTiming.MONTHLY)


def fee_consistency_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Contradictions in a fee disclosure, by field. Shared by the form and the submission check."""
    errors: dict[str, str] = {}
    fixed, fixed_timing = values.get("fee_fixed_yen"), values.get("fee_fixed_timing")
    success, success_timing = values.get("success_fee_percent"), values.get("success_fee_timing")
    before = values.get("charges_before_decision")
    if fixed and not fixed_timing:
        errors["fee_fixed_timing"] = _("定額報酬を受け取る時期を選んでください。")
    if fixed_timing and not fixed:
        errors["fee_fixed_yen"] = _(
            "定額報酬の金額を入力してください（受け取らない場合は時期も空欄にします）。"
        )
    if success and not success_timing:
        errors["success_fee_timing"] = _("成功報酬を受け取る時期を選んでください。")
    if success_timing and not success:
        errors["success_fee_percent"] = _(
            "成功報酬の割合を入力してください（受け取らない場合は時期も空欄にします）。"
        )
    if success_timing == FeeTiming.BEFORE_DECISION or success_timing == FeeTiming.MONTHLY:
        errors["success_fee_timing"] = _("成功報酬は交付決定後か交付後の時期を選んでください。")
    if fixed_timing == FeeTiming.BEFORE_DECISION and before is False:
        errors["charges_before_decision"] = _(
            "定額報酬を交付決定前に受け取る場合は、「交付決定前に報酬を受け取る」に「はい」と答えてください。"
        )
    if before is True and fixed_timing not in ADVANCE_TIMINGS:
        errors["fee_fixed_timing"] = _(
            "交付決定前に報酬を受け取る場合は、その金額を定額報酬に入力し、時期に「交付決定前」か「月額」を選んでください。"
        )
    return errors


def advance_fee_yen(firm: AdvisorFirm) -> int | None:
    """The fixed fee the firm may take before the grant is decided, if any."""
    if firm.charges_before_decision and firm.fee_fixed_timing in ADVANCE_TIMINGS:
        return firm.fee_fixed_yen
    return None


def fee_flags(firm: AdvisorFirm, rules: AdvisorCertification) -> list[str]:
    """What the secretariat should look at in the fee and independence disclosure."""
    flags: list[str] = []
    advance = advance_fee_yen(firm)
    limit_yen = rules.advance_fee_flag_yen
    if advance is not None and advance > limit_yen:
        flags.append(
            _("交付決定前の報酬 %(amount)s円 が目安（%(limit)s円）を超えています。")
            % {"amount": f"{advance:,}", "limit": f"{limit_yen:,}"}
        )
    limit_percent = Decimal(rules.success_fee_flag_percent)
    if firm.success_fee_percent is not None and firm.success_fee_percent > limit_percent:
        flags.append(
            _("成功報酬 %(rate)s%% が目安（%(limit)s%%）を超えています。")
            % {"rate": f"{firm.success_fee_percent.normalize():f}", "limit": f"{limit_percent:f}"}
        )
    if firm.sells_it_products:
        flags.append(_("自社または関係者がIT製品・サービスを販売しています（開示内容を確認）。"))
    return flags
