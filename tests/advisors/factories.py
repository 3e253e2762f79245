"""Factories for advisor firm registrations: a draft, a complete draft, a submitted one, and
certified firms in each public state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import (
    AdvisorFirm,
    CertificationState,
    FeeTiming,
    FirmDocument,
    FirmMembership,
    LegalForm,
    MembershipRole,
    ProposedAdvisor,
    RegistrationStatus,
)
from dxgrant.programs.models import Programme
from tests.factories import UserFactory

# A minimal valid PDF and PNG: enough for the `filetype` content check.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
# 法人番号 with a correct check digit (国税庁's own example) and one with a wrong one.
VALID_CORPORATE_NUMBER = "5835678256246"
INVALID_CORPORATE_NUMBER = "1835678256246"


class AdvisorFirmFactory(factory.django.DjangoModelFactory):
    """A draft registration with its registrant as administrator."""

    class Meta:
        model = AdvisorFirm
        skip_postgeneration_save = True

    programme = factory.LazyFunction(lambda: Programme.objects.order_by("pk").first())
    name = factory.Sequence(lambda n: f"テストDX支援株式会社{n}")
    created_by = factory.SubFactory(UserFactory, role=Role.ADVISOR)

    @factory.post_generation
    def admin_membership(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            FirmMembership.objects.create(firm=self, user=self.created_by, role=MembershipRole.ADMIN)


COMPLETE_FIELDS = {
    "legal_form": LegalForm.KABUSHIKI,
    "corporate_number": VALID_CORPORATE_NUMBER,
    "invoice_number": "T" + VALID_CORPORATE_NUMBER,
    "name_kana": "テストディーエックスシエン",
    "postal_code": "100-0001",
    "prefecture": "東京都",
    "city": "千代田区",
    "address_line": "千代田1-1",
    "representative_name": "代表 太郎",
    "representative_title": "代表取締役",
    "contact_name": "担当 花子",
    "contact_email": "contact@firm.example.jp",
    "contact_phone": "03-1234-5678",
    "qualifications": "中小企業診断士 2名",
    "experience": "製造業のDX支援 30件",
    "fee_fixed_yen": 200_000,
    "fee_fixed_timing": FeeTiming.AFTER_DECISION,
    "success_fee_percent": Decimal("5"),
    "success_fee_timing": FeeTiming.AFTER_PAYMENT,
    "charges_before_decision": False,
    "fee_policy": "交付決定後に定額20万円、交付後に支援金額の5%。",
    "sells_it_products": False,
}


def declarations_for(programme: Programme, user_id: int) -> dict[str, dict[str, object]]:
    at = timezone.now().isoformat()
    return {
        d.key: {"version": d.version, "at": at, "ip": "192.0.2.1", "by": user_id}
        for d in programme.certification_rules.declarations
    }


def attach_document(firm: AdvisorFirm, code: str, content: bytes = PDF_BYTES) -> FirmDocument:
    document = FirmDocument(
        firm=firm,
        kind=code,
        original_name=f"{code}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=firm.created_by,
    )
    document.file.save(f"{code}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def complete_firm(status: str = RegistrationStatus.DRAFT, **overrides: object) -> AdvisorFirm:
    """A registration with every section filled in, the required documents and all declarations."""
    firm = AdvisorFirmFactory(**{**COMPLETE_FIELDS, **overrides})
    firm.declarations = declarations_for(firm.programme, firm.created_by_id)
    firm.registration_status = status
    if status != RegistrationStatus.DRAFT:
        firm.submitted_at = timezone.now()
    firm.save()
    ProposedAdvisor.objects.create(firm=firm, name="支援 一郎", email="ichiro@firm.example.jp")
    for spec in firm.programme.certification_rules.documents:
        if spec.required:
            attach_document(firm, spec.code)
    return firm


_numbers = iter(range(1, 10**6))


def certified(state: str = "active", *, today: dt.date | None = None, **overrides: object) -> AdvisorFirm:
    """A certified firm whose public status is `state` (active, suspended, revoked or expired).
    Numbers are from 2019 so they never meet the ones certify_firm issues in a test."""
    today = today or timezone.localdate()
    firm = complete_firm(RegistrationStatus.SUBMITTED, **overrides)
    firm.registration_status = RegistrationStatus.CERTIFIED
    firm.certification_number = f"DXA-2019-{next(_numbers):05d}"
    firm.certification_state = {"expired": CertificationState.ACTIVE}.get(state, state)
    firm.valid_from = today - dt.timedelta(days=800 if state == "expired" else 30)
    firm.valid_until = today - dt.timedelta(days=1) if state == "expired" else today + dt.timedelta(days=700)
    firm.decided_at = timezone.now()
    firm.state_changed_at = timezone.now()
    firm.save()
    return firm
