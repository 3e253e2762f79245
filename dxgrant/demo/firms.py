"""Demo advisor firms for trying the public register and the secretariat's review: certified
firms in each public state, and one registration waiting for review. Each is registered by its
administrator and decided by the demo secretariat through the services, once (known by its
administrator's address)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.advisors.models import CertificationState, FirmMembership
from dxgrant.programs.models import Programme

from . import builders, clock
from .accounts import DEMO_PASSWORD, demo_user


@dataclass(frozen=True)
class DemoFirm:
    admin_email: str
    admin_name: str
    state: str  # active | suspended | revoked | expired | submitted
    fields: dict[str, Any]


DEMO_FIRMS = [
    DemoFirm(
        "firm-active@demo.dxgrant.jp",
        "青葉 健一",
        "active",
        {
            "name": "青葉経営サポート株式会社",
            "name_kana": "アオバケイエイサポート",
            "legal_form": "kabushiki_kaisha",
            "corporate_number": "2010001008824",
            "prefecture": "宮城県",
            "city": "仙台市青葉区",
            "postal_code": "980-0811",
            "address_line": "一番町1-1-1",
            "fee_fixed_yen": 220_000,
            "fee_fixed_timing": "after_decision",
            "success_fee_percent": 5,
            "success_fee_timing": "after_payment",
            "charges_before_decision": False,
            "fee_policy": "交付決定後に定額22万円（税込）、支援金の交付後に支援金額の5%。不採択の場合は費用をいただきません。",
            "sells_it_products": False,
        },
    ),
    DemoFirm(
        "firm-seller@demo.dxgrant.jp",
        "浪花 美香",
        "active",
        {
            "name": "なにわITソリューションズ株式会社",
            "name_kana": "ナニワアイティーソリューションズ",
            "legal_form": "kabushiki_kaisha",
            "corporate_number": "9120001000004",
            "prefecture": "大阪府",
            "city": "大阪市北区",
            "postal_code": "530-0001",
            "address_line": "梅田2-2-2",
            "fee_fixed_yen": 550_000,
            "fee_fixed_timing": "before_decision",
            "success_fee_percent": 15,
            "success_fee_timing": "after_payment",
            "charges_before_decision": True,
            "fee_policy": "着手時に55万円（税込）。支援金の交付後に支援金額の15%。",
            "sells_it_products": True,
            "it_products_disclosure": "当社が販売管理クラウド「なにわクラウド」を開発・販売しています。",
        },
    ),
    DemoFirm(
        "firm-suspended@demo.dxgrant.jp",
        "楓 直人",
        "suspended",
        {
            "name": "かえでDXコンサルティング合同会社",
            "name_kana": "カエデディーエックスコンサルティング",
            "legal_form": "godo_kaisha",
            "corporate_number": "2180003012345",
            "prefecture": "愛知県",
            "city": "名古屋市中区",
            "postal_code": "460-0008",
            "address_line": "栄3-3-3",
            "fee_fixed_yen": 330_000,
            "fee_fixed_timing": "after_decision",
            "charges_before_decision": False,
            "fee_policy": "交付決定後に定額33万円（税込）。",
            "sells_it_products": False,
        },
    ),
    DemoFirm(
        "firm-revoked@demo.dxgrant.jp",
        "樟 大輔",
        "revoked",
        {
            "name": "くすのきビジネス研究所",
            "name_kana": "クスノキビジネスケンキュウジョ",
            "legal_form": "sole_proprietor",
            "prefecture": "福岡県",
            "city": "福岡市博多区",
            "postal_code": "812-0011",
            "address_line": "博多駅前4-4-4",
            "success_fee_percent": 20,
            "success_fee_timing": "after_decision",
            "charges_before_decision": False,
            "fee_policy": "交付決定後に支援金額の20%。",
            "sells_it_products": False,
        },
    ),
    DemoFirm(
        "firm-expired@demo.dxgrant.jp",
        "欅 由美",
        "expired",
        {
            "name": "けやき中小企業診断事務所",
            "name_kana": "ケヤキチュウショウキギョウシンダンジムショ",
            "legal_form": "sole_proprietor",
            "prefecture": "東京都",
            "city": "府中市",
            "postal_code": "183-0023",
            "address_line": "宮町5-5-5",
            "fee_fixed_yen": 110_000,
            "fee_fixed_timing": "after_decision",
            "charges_before_decision": False,
            "fee_policy": "交付決定後に定額11万円（税込）。",
            "sells_it_products": False,
        },
    ),
    DemoFirm(
        "firm-submitted@demo.dxgrant.jp",
        "桜井 陽子",
        "submitted",
        {
            "name": "さくらデジタル経営支援株式会社",
            "name_kana": "サクラデジタルケイエイシエン",
            "legal_form": "kabushiki_kaisha",
            "corporate_number": "7011001000007",
            "prefecture": "京都府",
            "city": "京都市中京区",
            "postal_code": "604-0000",
            "address_line": "烏丸通6-6-6",
            "fee_fixed_yen": 400_000,
            "fee_fixed_timing": "monthly",
            "charges_before_decision": True,
            "fee_policy": "月額4万円（税込）の顧問料を10か月。交付決定前から発生します。",
            "sells_it_products": False,
        },
    ),
]

_COMMON = {
    "representative_title": "代表",
    "contact_phone": "03-0000-0000",
    "qualifications": "中小企業診断士、ITコーディネータ",
    "experience": "中小企業の業務改善とDX支援 20社以上",
}

# Why the secretariat suspended or revoked a firm (shown on the public register).
REASONS = {
    "suspended": "通報を受けて事実関係を確認中のため（デモ）",
    "revoked": "虚偽の支援実績の報告（デモ）",
}
STATES = {
    "suspended": CertificationState.SUSPENDED,
    "revoked": CertificationState.REVOKED,
}


def _create(programme: Programme, spec: DemoFirm, secretariat: User, today: dt.date) -> None:
    if spec.state == "expired":
        # Its certification expired: it registered and was certified long enough ago for its
        # validity to have run out, and its history says so.
        with clock.as_of(today - dt.timedelta(days=900)):
            _register(programme, spec, secretariat)
        return
    _register(programme, spec, secretariat)


def _register(programme: Programme, spec: DemoFirm, secretariat: User) -> None:
    admin = demo_user(spec.admin_email, Role.ADVISOR, spec.admin_name, password=DEMO_PASSWORD)
    if FirmMembership.objects.filter(user=admin, is_active=True).exists():
        return
    fields = (
        _COMMON
        | {
            "contact_name": spec.admin_name,
            "contact_email": spec.admin_email,
            "representative_name": spec.admin_name,
        }
        | spec.fields
    )
    advisors = [{"name": spec.admin_name, "email": spec.admin_email, "qualifications": "中小企業診断士"}]
    if spec.state == "submitted":
        builders.registered_firm(programme=programme, admin=admin, fields=fields, advisors=advisors)
        return
    builders.certified_firm(
        programme=programme,
        admin=admin,
        secretariat=secretariat,
        fields=fields,
        advisors=advisors,
        state=STATES.get(spec.state, CertificationState.ACTIVE),
        reason=REASONS.get(spec.state, ""),
    )


def seed_demo_firms(programme: Programme, *, secretariat: User, today: dt.date | None = None) -> None:
    """Certified firms that are active (one of them selling IT products, with fees the review
    flags), suspended, revoked and expired, and one registration awaiting review."""
    today = today or timezone.localdate()
    for spec in DEMO_FIRMS:
        _create(programme, spec, secretariat, today)
