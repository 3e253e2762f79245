"""A demo round from years ago, granted and paid, written through the services the pages use with
the clock turned back for each step (`clock.as_of`): its companies applied, were screened,
scored, decided, published, notified, accepted with a code and a payee account, and paid by an
exported and settled batch. demo/followup.py carries them through everything after the grant.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.applications.models import Application
from dxgrant.awards import signing
from dxgrant.awards.models import PaymentBatch, TransferResult
from dxgrant.awards.services import batches, settlement
from dxgrant.decisions.models import Decision
from dxgrant.decisions.selectors import Committee
from dxgrant.decisions.services import budget, deciding, meetings, publishing
from dxgrant.japan.business_days import add_business_days
from dxgrant.programs.models import Programme, Round
from dxgrant.review import lifecycle as assignment_states
from dxgrant.review.models import Assignment
from dxgrant.review.selectors import terms_sha256
from dxgrant.review.services import draws, pool

from . import awards as demo_awards
from . import builders, clock
from . import review as demo_review
from .accounts import DEMO_DOMAIN, SECOND_FINANCE, DemoAccount, account, demo_user
from .applications import DemoCompany, seed_submitted_application

PAST_ROUND_CODE = "dx-demo-past"
# The company that went through everything after the grant, with an account of its own.
# The firm that supported them then. Not the demo firm, which was certified lately: screening
# checks the firm was certified when each application was submitted. Its certification (24
# months) has since run out.
PAST_ADVISOR = DemoAccount(f"advisor-past@{DEMO_DOMAIN}", Role.ADVISOR, "石田 直樹（北陸DXパートナーズ）")
PAST_FIRM_CERTIFIED_DAYS_BEFORE = 150
PAST_APPLICANT = DemoAccount(
    f"applicant-past@{DEMO_DOMAIN}", Role.APPLICANT, "木村 健一（株式会社きむら精工）"
)
# Days before today the companies filed: the round, its implementation, its results report and
# three KPI years all lie in the past (the third year filed some months ago).
FILED_DAYS_AGO = 1_780
# The main company and seven more. Each takes a few seconds to seed (its application, screening
# and a signed notice are most of it): `make run` seeds them all.
COHORT = 8
_QUALITY = [5, 4, 5, 4, 4, 5, 4, 5, 4]
_NAMES = [
    ("株式会社きむら精工", "キムラセイコウ", "新潟県", "燕市"),
    ("株式会社みどり農産", "ミドリノウサン", "熊本県", "熊本市中央区"),
    ("株式会社しおかぜ水産", "シオカゼスイサン", "宮城県", "石巻市"),
    ("株式会社あさひ印刷", "アサヒインサツ", "埼玉県", "さいたま市浦和区"),
    ("株式会社やまびこ木工", "ヤマビコモッコウ", "岐阜県", "高山市"),
    ("株式会社ほしぞら運輸", "ホシゾラウンユ", "長野県", "松本市"),
    ("株式会社さざなみ化成", "サザナミカセイ", "岡山県", "倉敷市"),
    ("株式会社こもれび介護", "コモレビカイゴ", "福岡県", "北九州市小倉北区"),
    ("株式会社はなみずき商事", "ハナミズキショウジ", "大阪府", "堺市堺区"),
]
_SYSTEM_YEN = [
    15_000_000,
    9_000_000,
    24_000_000,
    9_000_000,
    15_000_000,
    24_000_000,
    9_000_000,
    15_000_000,
    9_000_000,
]


@dataclass(frozen=True)
class PastRound:
    round: Round
    # In filing order; the first is PAST_APPLICANT's company.
    applications: list[Application]
    # The advisor of the firm that supported them.
    advisor: User
    # The authenticator's period (30 s of the real clock) in which each applicant (by application
    # id) entered the code of their acceptance: a code is accepted once.
    code_periods: dict[int, int]


def code_period() -> int:
    """The authenticator's period now, by the real clock (which it checks)."""
    return int(time.time() // 30)


def past_companies() -> list[DemoCompany]:
    companies = []
    for i, (name, kana, prefecture, city) in enumerate(_NAMES[:COHORT]):
        email = PAST_APPLICANT.email if i == 0 else f"past{i + 1:02d}@{DEMO_DOMAIN}"
        companies.append(
            DemoCompany(
                name=name,
                kana=kana,
                corporate_number=demo_review.corporate_number(500 + i),
                prefecture=prefecture,
                city=city,
                representative_email=email,
                representative_name=PAST_APPLICANT.name.split("（")[0] if i == 0 else f"代表 過去{i + 1:02d}",
                representative_kana="キムラ ケンイチ" if i == 0 else f"ダイヒョウ カコ{i + 1:02d}",
                employees=12 + (i * 11) % 60,
                system_yen=_SYSTEM_YEN[i],
                documents_for="見本（デモ用の書類）",
            )
        )
    return companies


def _past_firm(programme: Programme, *, secretariat: User, certified_on: dt.date) -> User:
    """The firm of the past round, certified on `certified_on`; its advisor passed the course."""
    advisor = demo_user(PAST_ADVISOR.email, PAST_ADVISOR.role, PAST_ADVISOR.name)
    name = PAST_ADVISOR.name.split("（")[0]
    with clock.as_of(certified_on):
        builders.certified_firm(
            programme=programme,
            admin=advisor,
            secretariat=secretariat,
            fields={
                "name": "北陸DXパートナーズ株式会社（デモ）",
                "name_kana": "ホクリクディーエックスパートナーズ",
                "legal_form": "kabushiki_kaisha",
                "corporate_number": demo_review.corporate_number(800),
                "postal_code": "951-8068",
                "prefecture": "新潟県",
                "city": "新潟市中央区",
                "address_line": "上大川前通7-1",
                "representative_name": name,
                "representative_title": "代表取締役",
                "contact_name": name,
                "contact_email": PAST_ADVISOR.email,
                "contact_phone": "025-000-0000",
                "qualifications": "中小企業診断士",
                "experience": "製造業のDX支援 15社",
                "fee_policy": "交付決定後に定額の支援料をいただきます。",
                "fee_fixed_yen": 300000,
                "fee_fixed_timing": "after_decision",
                "charges_before_decision": False,
                "sells_it_products": False,
            },
            advisors=[{"name": name, "email": PAST_ADVISOR.email, "qualifications": "中小企業診断士"}],
        )
        builders.course_passed(advisor=advisor, programme=programme)
    return User.objects.get(pk=advisor.pk)


def seed_past_round(
    programme: Programme, *, today: dt.date, secretariat: User, reviewers: list[User]
) -> PastRound | None:
    """The past round, decided, its awards accepted and paid; None if it was seeded before."""
    if Round.objects.filter(code=PAST_ROUND_CODE).exists():
        return None
    filed_on = today - dt.timedelta(days=FILED_DAYS_AGO)
    demo_user(PAST_APPLICANT.email, PAST_APPLICANT.role, PAST_APPLICANT.name)
    advisor = _past_firm(
        programme,
        secretariat=secretariat,
        certified_on=filed_on - dt.timedelta(days=PAST_FIRM_CERTIFIED_DAYS_BEFORE),
    )
    with clock.as_of(filed_on):
        round_obj = builders.open_round(
            programme,
            code=PAST_ROUND_CODE,
            name_ja="デモ公募回（交付済み・効果検証中）",
            name_en="Demo round (granted, results verified)",
            today=filed_on,
            opened_days_ago=20,
            closes_in_days=25,
            is_demo=True,
        )
        applications = [
            seed_submitted_application(advisor=advisor, round_obj=round_obj, company=company)
            for company in past_companies()
        ]
    with clock.as_of(filed_on + dt.timedelta(days=30)):
        for application in applications:
            demo_review.screen(application, secretariat)
    with clock.as_of(filed_on + dt.timedelta(days=35)):
        for i, reviewer in enumerate(reviewers):
            pool.add_reviewer(
                actor=secretariat,
                round_obj=round_obj,
                email=reviewer.email,
                organisation=demo_review.ORGANISATIONS[i],
            )
            pool.accept_terms(actor=reviewer, round_obj=round_obj, terms_sha256=terms_sha256(round_obj))
        draws.run_draw(actor=secretariat, round_obj=round_obj, seed=demo_review.DRAW_SEED)
    with clock.as_of(filed_on + dt.timedelta(days=40)):
        order = {reviewer.pk: i for i, reviewer in enumerate(reviewers)}
        for index, application in enumerate(applications):
            for assignment in Assignment.objects.filter(
                application=application, status=assignment_states.AWAITING_DECLARATION
            ).select_related("reviewer", "application__round"):
                demo_review.score_assignment(
                    assignment, order[assignment.reviewer_id], _QUALITY[index], divisive=False
                )
    with clock.as_of(filed_on + dt.timedelta(days=50)):
        _decide(round_obj, secretariat)
    with clock.as_of(filed_on + dt.timedelta(days=60)):
        publishing.publish_round(actor=secretariat, round_obj=round_obj)
    signing.ensure_self_signed(Path(settings.DXGRANT_SIGNING_CERT), Path(settings.DXGRANT_SIGNING_KEY))
    awarded = [a for a in applications if Decision.objects.filter(application=a, outcome="awarded").exists()]
    # Each award notified, then accepted by its applicant with a code (one after the other, so
    # the codes they enter again for the results report fall in later periods of the app).
    code_periods: dict[int, int] = {}
    for i, application in enumerate(awarded):
        with clock.as_of(filed_on + dt.timedelta(days=62)):
            demo_awards.issue(application, secretariat)
        with clock.as_of(filed_on + dt.timedelta(days=65)):
            demo_awards.accept_with_account(application, f"{2_000_001 + i}")
        code_periods[application.pk] = code_period()
    _pay(filed_on + dt.timedelta(days=66))
    return PastRound(round_obj, [Application.objects.get(pk=a.pk) for a in awarded], advisor, code_periods)


def _decide(round_obj: Round, secretariat: User) -> None:
    """A budget every fundable proposal fits, the meeting recorded and the round decided."""
    rows = Committee(round_obj).rows
    total = sum(row.sheet.proposed_yen for row in rows if row.sheet.proposed_yen > 0)
    budget.set_budget(actor=secretariat, round_obj=round_obj, budget_yen=(total // 1_000_000 + 1) * 1_000_000)
    meetings.record_meeting(
        actor=secretariat,
        round_obj=round_obj,
        held_on=timezone.localdate(),
        members="委員長 佐々木 隆、委員 山本 恵子、委員 井上 大輔",
        minutes="審査員の評点と算定ルールによる順位を確認し、全件を予算の範囲で採択とした。",
    )
    deciding.decide_round(actor=secretariat, round_obj=round_obj)


def _pay(prepared_on: dt.date) -> PaymentBatch:
    """finance@ prepares the batch of the instalments due, finance2@ approves it, the file goes to
    the bank, and on the transfer date every transfer is recorded as paid and the batch settled."""
    preparer = account(f"finance@{DEMO_DOMAIN}")
    approver = demo_user(SECOND_FINANCE.email, SECOND_FINANCE.role, SECOND_FINANCE.name)
    transfer_date = add_business_days(prepared_on, 3)
    with clock.as_of(prepared_on):
        batch = batches.prepare_batch(actor=preparer, transfer_date=transfer_date)
        batch = batches.approve_batch(actor=approver, batch=batch)
        batches.export_batch(actor=preparer, batch=batch)
    with clock.as_of(transfer_date):
        for transfer in batch.transfers.order_by("pk"):
            settlement.record_result(actor=preparer, transfer=transfer, result=TransferResult.OK)
        return settlement.settle_batch(actor=preparer, batch=batch)
