"""Advisor firms (認定事業者) and their people, built directly with the ORM for speed (tests
build hundreds of them; the registration and certification flows have their own tests).

One factory, one set of fields: a draft is a registration just started; `complete` fills every
section, proposes an advisor, attaches the required documents and makes every declaration;
`submitted` and `certified` follow; `suspended`, `revoked` and `expired` are the certified
firm's other public states. tests/factories/test_factories.py checks that a certified firm
built here agrees with one certified through the services (dxgrant/demo/builders.py) on what
the code relies on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.advisors.models import (
    AdvisorFirm,
    CertificationState,
    CourseProgress,
    FeeTiming,
    FirmDocument,
    FirmMembership,
    LegalForm,
    MembershipRole,
    ProposedAdvisor,
    RegistrationStatus,
)
from dxgrant.programs.models import Programme

from .accounts import UserFactory
from .files import PDF_BYTES

# 法人番号 with a correct check digit (国税庁's own example) and one with a wrong one.
VALID_CORPORATE_NUMBER = "5835678256246"
INVALID_CORPORATE_NUMBER = "1835678256246"
# Certification numbers of factory firms are from 2019, so they never meet the ones
# certify_firm issues in a test.
NUMBER_YEAR = 2019

COMPLETE_FIELDS: dict[str, Any] = {
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

# Why the secretariat suspended or revoked a firm (the services refuse to do it without one).
STATE_REASONS = {
    CertificationState.SUSPENDED: "通報を受けて事実関係を確認中のため（テスト）",
    CertificationState.REVOKED: "虚偽の支援実績の報告（テスト）",
}


def declarations_for(programme: Programme, user_id: int) -> dict[str, dict[str, object]]:
    """Every declaration of the programme, made by `user_id` now."""
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


def _paperwork(firm: AdvisorFirm, create: bool, extracted: object, **kwargs: object) -> None:
    """A complete registration's rows of its own: a proposed advisor and the required documents."""
    if not create:
        return
    ProposedAdvisor.objects.create(firm=firm, name="支援 一郎", email="ichiro@firm.example.jp")
    for spec in firm.programme.certification_rules.documents:
        if spec.required:
            attach_document(firm, spec.code)


def _days(days: int) -> factory.LazyAttribute:
    return factory.LazyAttribute(lambda o: o.today + dt.timedelta(days=days))


class AdvisorFirmFactory(factory.django.DjangoModelFactory):
    """A draft registration with its registrant as administrator; the traits below for the
    later states (`AdvisorFirmFactory(suspended=True)`)."""

    class Meta:
        model = AdvisorFirm
        skip_postgeneration_save = True

    class Params:
        today = factory.LazyFunction(timezone.localdate)
        complete = factory.Trait(
            **COMPLETE_FIELDS,
            declarations=factory.LazyAttribute(lambda o: declarations_for(o.programme, o.created_by.pk)),
        )
        submitted = factory.Trait(
            complete=True,
            registration_status=RegistrationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        certified = factory.Trait(
            submitted=True,
            registration_status=RegistrationStatus.CERTIFIED,
            certification_number=factory.LazyAttributeSequence(
                lambda o, n: f"{o.programme.certification_rules.number_prefix}-{NUMBER_YEAR}-{n + 1:05d}"
            ),
            certification_state=CertificationState.ACTIVE,
            valid_from=_days(-30),
            valid_until=_days(700),
            decided_at=factory.LazyFunction(timezone.now),
            state_changed_at=factory.LazyFunction(timezone.now),
        )
        suspended = factory.Trait(
            certified=True,
            certification_state=CertificationState.SUSPENDED,
            state_reason=STATE_REASONS[CertificationState.SUSPENDED],
        )
        revoked = factory.Trait(
            certified=True,
            certification_state=CertificationState.REVOKED,
            state_reason=STATE_REASONS[CertificationState.REVOKED],
        )
        # Certified long ago: the validity period ran out yesterday.
        expired = factory.Trait(certified=True, valid_from=_days(-800), valid_until=_days(-1))

    programme = factory.LazyFunction(lambda: Programme.objects.order_by("pk").first())
    name = factory.Sequence(lambda n: f"テストDX支援株式会社{n}")
    created_by = factory.SubFactory(UserFactory, role=Role.ADVISOR)

    @factory.post_generation
    def admin_membership(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            FirmMembership.objects.create(firm=self, user=self.created_by, role=MembershipRole.ADMIN)

    paperwork = factory.Maybe("complete", yes_declaration=factory.PostGeneration(_paperwork))


def draft_firm(programme: Programme, **fields: Any) -> AdvisorFirm:
    """A registration just started by its registrant (a new advisor account unless `created_by`)."""
    return AdvisorFirmFactory(programme=programme, **fields)


def complete_firm(programme: Programme, **fields: Any) -> AdvisorFirm:
    """A draft with every section filled in, the required documents and all declarations."""
    return AdvisorFirmFactory(programme=programme, complete=True, **fields)


def submitted_firm(
    programme: Programme, *, status: str = RegistrationStatus.SUBMITTED, **fields: Any
) -> AdvisorFirm:
    """A complete registration submitted for review, or in a state after submission (`status`:
    changes_requested, rejected)."""
    return AdvisorFirmFactory(programme=programme, submitted=True, registration_status=status, **fields)


def certified_firm(
    programme: Programme,
    *,
    state: str = "active",
    admin: User | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> AdvisorFirm:
    """A certified firm whose public status on `today` is `state` (active, suspended, revoked or
    expired), administered by `admin` (a new advisor account unless given)."""
    traits = {
        "active": {},
        "suspended": {"suspended": True},
        "revoked": {"revoked": True},
        "expired": {"expired": True},
    }[state]
    if admin is not None:
        fields["created_by"] = admin
    if today is not None:
        fields["today"] = today
    return AdvisorFirmFactory(programme=programme, certified=True, **traits, **fields)


def pass_course(user: User, programme: Programme) -> None:
    CourseProgress.objects.update_or_create(
        user=user,
        programme=programme,
        course_version=programme.course.version,
        defaults={
            "passed_at": timezone.now(),
            "best_score_percent": 100,
            "modules_read": [m.code for m in programme.course.modules],
        },
    )


def add_advisor(firm: AdvisorFirm, *, passed_course: bool = False, **user_fields: Any) -> User:
    """A new advisor in the firm (not its administrator), who has not taken the course unless
    `passed_course`."""
    user = UserFactory(role=Role.ADVISOR, **user_fields)
    FirmMembership.objects.create(firm=firm, user=user, role=MembershipRole.ADVISOR)
    if passed_course:
        pass_course(user, firm.programme)
    return user


def advisor_of(firm: AdvisorFirm, **user_fields: Any) -> User:
    """An advisor of the firm who may support companies: a member who passed the course."""
    return add_advisor(firm, passed_course=True, **user_fields)


def firm_with_advisor(programme: Programme, **firm_fields: Any) -> tuple[AdvisorFirm, User]:
    firm = certified_firm(programme, **firm_fields)
    return firm, advisor_of(firm)


def firm_admin(firm: AdvisorFirm) -> User:
    return FirmMembership.objects.get(firm=firm, role=MembershipRole.ADMIN, is_active=True).user
