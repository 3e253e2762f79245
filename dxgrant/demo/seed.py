"""`dxgrant seed-demo`: the programme, a demo round open today, one account per role, advisor
firms in every state, the demo firm supporting two companies (one application begun, one
submitted), a hearing to confirm and a training session running now. Everything after the
accounts is written through the services, as the pages would write it. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.advisors.models import AdvisorFirm, FirmMembership
from dxgrant.programs.models import Programme, Round
from dxgrant.programs.services.loading import load_programme_file
from dxgrant.support.models import Engagement, TrainingFormat
from dxgrant.support.services import hearings, training

from . import builders, clock, followup, past_round
from . import review as demo_review
from .accounts import (
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    SECOND_FINANCE,
    DemoAccount,
    account,
    demo_user,
    require_demo,
)
from .applications import begin_application, seed_submitted_application
from .firms import seed_demo_firms
from .past_round import PAST_ADVISOR, PAST_APPLICANT

DEMO_ROUND_CODE = "dx-demo-open"
FIRM_CERTIFIED_DAYS_AGO = dt.timedelta(days=150)
# The demo firm's second advisor, who has passed the advisor course and leads its support (the
# demo advisor, its administrator, has not taken the course yet: try it).
LEAD_ADVISOR = DemoAccount(f"advisor-lead@{DEMO_DOMAIN}", Role.ADVISOR, "小林 さくら（DX支援合同会社）")

DEMO_FIRM = {
    "name": "DX支援合同会社（デモ）",
    "name_kana": "ディーエックスシエンゴウドウガイシャ",
    "legal_form": "godo_kaisha",
    "corporate_number": "7000012050002",
    "postal_code": "100-0001",
    "prefecture": "東京都",
    "city": "千代田区",
    "address_line": "千代田1-1",
    "representative_name": "佐藤 一郎",
    "representative_title": "代表社員",
    "contact_name": "佐藤 一郎",
    "contact_email": f"advisor@{DEMO_DOMAIN}",
    "contact_phone": "03-0000-0000",
    "qualifications": "中小企業診断士、ITコーディネータ",
    "experience": "製造業・小売業のDX支援 30社",
    "fee_policy": "着手時の費用はいただきません。交付決定後に定額の支援料をいただきます。",
    "fee_fixed_yen": 330000,
    "fee_fixed_timing": "after_decision",
    "charges_before_decision": False,
    "sells_it_products": False,
}


@transaction.atomic
def seed_demo(*, today: dt.date | None = None, review: bool = False) -> list[DemoAccount]:
    """Seed everything once; running it again changes nothing but the demo round's dates.

    `review` adds the review: the open round's applications drawn for the demo reviewers, and
    the past round that was reviewed, decided and published (32 applications through every
    service, about a minute: `make run` seeds it; most tests do without it); and a round of
    years ago, granted and paid, with everything after the grant (demo/past_round.py,
    demo/followup.py: eight companies, some seconds each). The dashboard is counted at the end."""
    require_demo()
    today = today or timezone.localdate()
    programme = load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme
    demo_round = builders.open_round(
        programme,
        code=DEMO_ROUND_CODE,
        name_ja="デモ公募回（受付中）",
        name_en="Demo round (open)",
        today=today,
        is_demo=True,
    )
    for spec in [*DEMO_ACCOUNTS, SECOND_FINANCE]:
        demo_user(spec.email, spec.role, spec.name)
    secretariat = account(f"secretariat@{DEMO_DOMAIN}")
    _seed_demo_firm(programme, demo_round, secretariat, today)
    # The lead advisor joined through the firm's invitation; their role needs an authenticator,
    # enrolled with the demo secret so `dxgrant demo-otp` can print its code.
    lead = demo_user(LEAD_ADVISOR.email, LEAD_ADVISOR.role, LEAD_ADVISOR.name)
    seed_demo_firms(programme, secretariat=secretariat, today=today)
    reviewers = demo_review.demo_reviewers()
    if review:
        # The past round first: its applicants accept their awards with a code, and enter one
        # again for their results reports after the decided round, in a later period of the app.
        past = past_round.seed_past_round(
            programme, today=today, secretariat=secretariat, reviewers=reviewers
        )
        demo_review.seed_open_round_review(
            round_obj=demo_round, secretariat=secretariat, advisor=lead, reviewers=reviewers
        )
        demo_review.seed_decided_round(
            programme, today=today, secretariat=secretariat, advisor=lead, reviewers=reviewers
        )
        if past is not None:
            followup.seed_followup(past, secretariat=secretariat)
            followup.seed_survey(past.round, secretariat=secretariat, today=today)
    followup.recount(list(Round.objects.order_by("pk")))
    accounts = [*DEMO_ACCOUNTS, SECOND_FINANCE, LEAD_ADVISOR, *demo_review.REVIEWERS[1:]]
    return [*accounts, PAST_APPLICANT, PAST_ADVISOR] if review else accounts


def _seed_demo_firm(
    programme: Programme, demo_round: Round, secretariat: User, today: dt.date
) -> AdvisorFirm:
    """The demo advisor administers a certified firm; its lead advisor supports the demo
    applicant's company (application begun, a hearing record to confirm, a training session
    running now so check-in can be tried) and a second company whose application is submitted."""
    admin = account(f"advisor@{DEMO_DOMAIN}")
    membership = FirmMembership.objects.filter(user=admin, is_active=True).select_related("firm").first()
    if membership is not None:
        return membership.firm
    # Certified, joined and trained months ago: before the past demo round's applications.
    with clock.as_of(today - FIRM_CERTIFIED_DAYS_AGO):
        firm = builders.certified_firm(
            programme=programme,
            admin=admin,
            secretariat=secretariat,
            fields=DEMO_FIRM,
            advisors=[
                {"name": "佐藤 一郎", "email": admin.email, "qualifications": "中小企業診断士"},
                {"name": "小林 さくら", "email": LEAD_ADVISOR.email, "qualifications": "ITコーディネータ"},
            ],
        )
        lead = builders.joined_advisor(
            firm=firm, admin=admin, email=LEAD_ADVISOR.email, name=LEAD_ADVISOR.name, password=DEMO_PASSWORD
        )
        builders.course_passed(advisor=lead, programme=programme)
    applicant = account(f"applicant@{DEMO_DOMAIN}")
    engagement = builders.supported_company(
        advisor=lead, round_obj=demo_round, company_name="株式会社やまだ製作所", representative=applicant
    )
    begin_application(engagement, applicant)
    seed_submitted_application(advisor=lead, round_obj=demo_round)
    _seed_support(engagement, lead, applicant)
    return firm


def _seed_support(engagement: Engagement, advisor: User, applicant: User) -> None:
    hearings.record_hearing(
        actor=advisor,
        engagement=engagement,
        held_on=timezone.localdate(),
        attendees="山田 花子（代表取締役）、小林 さくら（DX支援合同会社）",
        topics="受発注業務の流れと、紙の伝票で起きている転記ミスについて。",
        challenges="受注から出荷までの状況が社長にしか分からず、納期回答に時間がかかっている。",
        next_steps="2週間で受発注の流れを図にまとめ、次回までに改善案を3つ用意する。",
    )
    now = timezone.now()
    training.schedule_session(
        actor=advisor,
        engagement=engagement,
        curriculum_code=engagement.round.rules.training.curriculum[0].code,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=90),
        format=TrainingFormat.ONLINE,
        location="https://meet.example.jp/demo",
        invitees=[applicant],
    )
