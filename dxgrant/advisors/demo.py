"""Demo advisor firms for trying the public register and the secretariat's review: certified
firms in each public state, and one registration waiting for review. Idempotent: each firm is
known by its administrator's address and is created once."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.core.models import next_number
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Programme

from .models import (
    AdvisorFirm,
    CertificationState,
    FirmDocument,
    FirmMembership,
    FirmReviewEvent,
    MembershipRole,
    ProposedAdvisor,
    RegistrationStatus,
    ReviewAction,
)
from .validity import validity_end

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the demo accounts' published password
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def _secretariat() -> User | None:
    return User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()


def _admin(spec: DemoFirm) -> User:
    user, created = User.objects.get_or_create(
        email=spec.admin_email, defaults={"role": Role.ADVISOR, "display_name": spec.admin_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _documents(firm: AdvisorFirm, user: User) -> None:
    for spec in firm.programme.advisor_certification.get("documents", []):
        if not spec["required"]:
            continue
        document = FirmDocument(
            firm=firm,
            kind=spec["code"],
            original_name=f"{spec['code']}.pdf",
            content_type="application/pdf",
            size=len(_PDF),
            sha256=hashlib.sha256(_PDF).hexdigest(),
            uploaded_by=user,
        )
        document.file.save(f"{spec['code']}.pdf", ContentFile(_PDF), save=False)
        document.save()


def _create(programme: Programme, spec: DemoFirm, today: dt.date) -> None:
    admin = _admin(spec)
    if FirmMembership.objects.filter(user=admin, is_active=True).exists():
        return
    rules = programme.advisor_certification
    now = timezone.now()
    firm = AdvisorFirm(
        programme=programme,
        created_by=admin,
        contact_name=spec.admin_name,
        contact_email=spec.admin_email,
        representative_name=spec.admin_name,
        declarations={
            d["key"]: {"version": d["version"], "at": now.isoformat(), "ip": "127.0.0.1", "by": admin.pk}
            for d in rules.get("declarations", [])
        },
        registration_status=RegistrationStatus.SUBMITTED,
        submitted_at=now - dt.timedelta(days=3),
        **(_COMMON | spec.fields),
    )
    firm.save()
    FirmMembership.objects.create(firm=firm, user=admin, role=MembershipRole.ADMIN)
    ProposedAdvisor.objects.create(
        firm=firm, name=spec.admin_name, email=spec.admin_email, qualifications="中小企業診断士"
    )
    _documents(firm, admin)
    actor = _secretariat() or admin
    FirmReviewEvent.objects.create(
        firm=firm, action=ReviewAction.SUBMITTED, actor=admin, firm_notified_at=now
    )
    if spec.state != "submitted":
        months = int(rules["validity_months"])
        start = today - dt.timedelta(days=900 if spec.state == "expired" else 120)
        prefix = rules["number_prefix"]
        firm.certification_number = (
            f"{prefix}-{start.year}-{next_number(f'advisor-cert-{prefix}', start.year):05d}"
        )
        firm.registration_status = RegistrationStatus.CERTIFIED
        firm.certification_state = {
            "suspended": CertificationState.SUSPENDED,
            "revoked": CertificationState.REVOKED,
        }.get(spec.state, CertificationState.ACTIVE)
        firm.valid_from = start
        firm.valid_until = validity_end(start, months)
        if spec.state == "expired":
            firm.valid_until = min(firm.valid_until, today - dt.timedelta(days=20))
        firm.decided_at = now
        firm.state_changed_at = now
        reasons = {
            "suspended": "通報を受けて事実関係を確認中のため（デモ）",
            "revoked": "虚偽の支援実績の報告（デモ）",
        }
        firm.state_reason = reasons.get(spec.state, "")
        firm.save()
        FirmReviewEvent.objects.create(
            firm=firm, action=ReviewAction.CERTIFIED, actor=actor, firm_notified_at=now
        )
        if spec.state in reasons:
            FirmReviewEvent.objects.create(
                firm=firm,
                action=ReviewAction(spec.state),
                reason=reasons[spec.state],
                actor=actor,
                firm_notified_at=now,
                applicants_notified_at=now,
            )
    audit_record(actor=None, action="demo.firm_created", obj=firm, changes={"state": spec.state})


@transaction.atomic
def seed_demo_firms(programme: Programme, *, today: dt.date | None = None) -> None:
    """Certified firms that are active (one of them selling IT products, with fees the review
    flags), suspended, revoked and expired, and one registration awaiting review. Demo only."""
    if not settings.DXGRANT_DEMO_ENABLED:
        raise ImproperlyConfigured("Demo data is disabled in these settings.")
    today = today or timezone.localdate()
    for spec in DEMO_FIRMS:
        _create(programme, spec, today)
