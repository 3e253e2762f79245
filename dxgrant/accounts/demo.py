"""Demo data for trying dxgrant on a laptop. Refuses to run unless DXGRANT_DEMO_ENABLED is on,
which the production settings never allow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import DeclarationText, Programme, Round
from dxgrant.programs.services.loading import load_programme_file

from .models import Role, User

DEMO_ROUND_CODE = "dx-demo-open"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed to the developer on purpose
# Fixed secrets so that `dxgrant demo-otp` can print the current code; demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    name: str


DEMO_ACCOUNTS = [
    DemoAccount("applicant@demo.dxgrant.jp", Role.APPLICANT, "山田 花子（株式会社やまだ製作所）"),
    DemoAccount("advisor@demo.dxgrant.jp", Role.ADVISOR, "佐藤 一郎（DX支援合同会社）"),
    DemoAccount("reviewer@demo.dxgrant.jp", Role.REVIEWER, "鈴木 次郎（審査員）"),
    DemoAccount("secretariat@demo.dxgrant.jp", Role.SECRETARIAT, "高橋 美咲（事務局）"),
    DemoAccount("finance@demo.dxgrant.jp", Role.FINANCE, "田中 健（経理）"),
    DemoAccount("auditor@demo.dxgrant.jp", Role.AUDITOR, "伊藤 誠（監査）"),
]


def _require_demo() -> None:
    if not settings.DXGRANT_DEMO_ENABLED:
        raise ImproperlyConfigured("Demo data is disabled in these settings.")


@transaction.atomic
def seed_demo(*, today: dt.date | None = None) -> list[DemoAccount]:
    """Load the programme, add a demo round open today, and create one account per role."""
    _require_demo()
    today = today or timezone.localdate()
    result = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None)
    programme = result.programme
    template = Round.objects.filter(programme=programme, is_demo=False).order_by("-application_opens").first()
    assert template is not None
    opens = today - dt.timedelta(days=30)
    closes = today + dt.timedelta(days=60)
    demo_round, _created = Round.objects.update_or_create(
        code=DEMO_ROUND_CODE,
        defaults={
            "programme": programme,
            "name_ja": "デモ公募回（受付中）",
            "name_en": "Demo round (open)",
            "application_opens": opens,
            "application_closes": closes,
            "programme_period_starts": opens,
            "programme_period_ends": closes + dt.timedelta(days=365),
            "max_award_yen": template.max_award_yen,
            "is_demo": True,
            "eligibility": template.eligibility,
            "rubric": template.rubric,
            "amount_rule": template.amount_rule,
            "documents": template.documents,
            "training": template.training,
            "application_rules": template.application_rules,
            "texts": template.texts
            | {
                "schedule": [
                    {
                        "label_ja": "申請受付期間",
                        "label_en": "Application period",
                        "starts": opens.isoformat(),
                        "ends": closes.isoformat(),
                    }
                ],
                "data_notes": [],
            },
            "definition_version": template.definition_version,
        },
    )
    for text in DeclarationText.objects.filter(round=template):
        DeclarationText.objects.get_or_create(
            round=demo_round,
            key=text.key,
            version=text.version,
            defaults={"text_ja": text.text_ja, "text_en": text.text_en},
        )
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email, defaults={"role": account.role, "display_name": account.name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            audit_record(actor=None, action="demo.account_created", obj=user, changes={"role": account.role})
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if (
            user.requires_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
    _seed_demo_advisor_firm(programme, today)
    from dxgrant.advisors.demo import seed_demo_firms

    seed_demo_firms(programme)
    return DEMO_ACCOUNTS


def _seed_demo_advisor_firm(programme: Programme, today: dt.date) -> None:
    """The demo advisor administers a certified firm, and has not taken the course yet (try it)."""
    from dxgrant.advisors.models import (
        AdvisorFirm,
        CertificationState,
        FirmMembership,
        MembershipRole,
        RegistrationStatus,
    )
    from dxgrant.core.models import next_number

    advisor = User.objects.get(email="advisor@demo.dxgrant.jp")
    if FirmMembership.objects.filter(user=advisor, is_active=True).exists():
        return
    prefix = programme.advisor_certification["number_prefix"]
    firm = AdvisorFirm.objects.create(
        programme=programme,
        registration_status=RegistrationStatus.CERTIFIED,
        legal_form="godo_kaisha",
        corporate_number="7000012050002",
        name="DX支援合同会社（デモ）",
        name_kana="ディーエックスシエンゴウドウガイシャ",
        postal_code="100-0001",
        prefecture="東京都",
        city="千代田区",
        address_line="千代田1-1",
        representative_name="佐藤 一郎",
        representative_title="代表社員",
        contact_name="佐藤 一郎",
        contact_email=advisor.email,
        contact_phone="03-0000-0000",
        qualifications="中小企業診断士、ITコーディネータ",
        experience="製造業・小売業のDX支援 30社",
        fee_policy="着手時の費用はいただきません。交付決定後に定額の支援料をいただきます。",
        fee_fixed_yen=330000,
        fee_fixed_timing="after_decision",
        charges_before_decision=False,
        sells_it_products=False,
        certification_number=f"{prefix}-{today.year}-{next_number(f'advisor-cert-{prefix}', today.year):05d}",
        certification_state=CertificationState.ACTIVE,
        valid_from=today - dt.timedelta(days=60),
        valid_until=today + dt.timedelta(days=670),
        created_by=advisor,
    )
    FirmMembership.objects.create(firm=firm, user=advisor, role=MembershipRole.ADMIN)
    audit_record(actor=None, action="demo.firm_created", obj=firm)
    _seed_demo_engagement(firm, advisor)


def _seed_demo_engagement(firm: Any, advisor: User) -> None:
    """The demo applicant's company, supported by the demo firm in the demo round: one hearing
    record to confirm, and a training session running now so check-in can be tried."""
    from dxgrant.support.checkin import new_secret
    from dxgrant.support.models import (
        Engagement,
        EngagementMember,
        EngagementRole,
        EngagementStatus,
        HearingRecord,
        TrainingFormat,
        TrainingSession,
    )

    demo_round = Round.objects.get(code=DEMO_ROUND_CODE)
    applicant = User.objects.get(email="applicant@demo.dxgrant.jp")
    engagement = Engagement.objects.create(
        firm=firm,
        round=demo_round,
        lead_advisor=advisor,
        company_name="株式会社やまだ製作所",
        corporate_number="",
        status=EngagementStatus.ACTIVE,
    )
    EngagementMember.objects.create(engagement=engagement, user=applicant, role=EngagementRole.REPRESENTATIVE)
    _seed_demo_application(engagement, applicant)
    from .demo_application import seed_submitted_application

    seed_submitted_application(firm=firm, advisor=advisor, round_obj=demo_round)
    HearingRecord.objects.create(
        engagement=engagement,
        author=advisor,
        held_on=timezone.localdate(),
        attendees="山田 花子（代表取締役）、佐藤 一郎（DX支援合同会社）",
        topics="受発注業務の流れと、紙の伝票で起きている転記ミスについて。",
        challenges="受注から出荷までの状況が社長にしか分からず、納期回答に時間がかかっている。",
        next_steps="2週間で受発注の流れを図にまとめ、次回までに改善案を3つ用意する。",
    )
    now = timezone.now()
    unit = demo_round.training["curriculum"][0]["code"]
    session = TrainingSession.objects.create(
        engagement=engagement,
        advisor=advisor,
        curriculum_code=unit,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=90),
        format=TrainingFormat.ONLINE,
        location="https://meet.example.jp/demo",
        checkin_secret=new_secret(),
    )
    session.invitees.add(applicant)


def _seed_demo_application(engagement: Any, applicant: User) -> None:
    """The demo company's application, begun: the first lines of the company profile are in,
    the rest (figures, plan, budget, documents, declarations) is left to try."""
    from dxgrant.applications.services.creation import ensure_application
    from dxgrant.applications.services.profile import update_profile

    application = ensure_application(engagement=engagement, actor=applicant)
    update_profile(
        application=application,
        actor=applicant,
        revision=application.profile_revision,
        data={
            "entity_type": "corporation",
            "legal_form": "株式会社",
            "company_name": application.company_name,
            "company_name_kana": "ヤマダセイサクショ",
            "representative_name": "山田 花子",
            "representative_name_kana": "ヤマダ ハナコ",
        },
    )


def current_demo_code(email: str) -> str:
    """The one-time code a demo account's authenticator app would show right now."""
    _require_demo()
    user = User.objects.get(email=email.lower())
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = str(decrypt(authenticator.data["secret"]))
    counter = int(timezone.now().timestamp()) // 30
    return str(format_hotp_value(hotp_value(secret, counter)))
