"""The demo's review and decision, written through the services the pages use.

- The open demo round: two more companies submitted and passed through screening, the demo
  reviewers in its pool and drawn onto them, so `reviewer@` finds assignments waiting (the terms
  to accept, the conflict declaration, the scoring).
- A past demo round, reviewed, decided and published: 32 applications submitted while it was
  open, screened, scored by four reviewers (one declared a conflict and the place was drawn
  again), a budget that passes some fundable applications over, one committee override with its
  reason, the meeting, the decision and the publication. The clock is turned back while each step
  happens (`clock.as_of`), so dates and the audit history agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationDocument
from dxgrant.applications.services import screening
from dxgrant.awards import signing
from dxgrant.decisions.selectors import Committee
from dxgrant.decisions.services import budget, deciding, meetings, overrides, publishing
from dxgrant.japan.corporate_number import check_digit
from dxgrant.programs.models import Programme, Round
from dxgrant.review import lifecycle as assignment_states
from dxgrant.review.models import Assignment
from dxgrant.review.selectors import terms_sha256
from dxgrant.review.services import conflicts, draws, invitations, pool, scores

from . import awards as demo_awards
from . import builders, clock
from .accounts import DEMO_DOMAIN, DemoAccount, demo_user
from .applications import DemoCompany, seed_submitted_application

DECIDED_ROUND_CODE = "dx-demo-decided"
DECIDED_COMPANIES = 32
DRAW_SEED = 20261001

REVIEWERS = [
    DemoAccount(f"reviewer@{DEMO_DOMAIN}", Role.REVIEWER, "鈴木 次郎（審査員）"),
    DemoAccount(f"reviewer2@{DEMO_DOMAIN}", Role.REVIEWER, "中村 由紀（審査員・中小企業診断士）"),
    DemoAccount(f"reviewer3@{DEMO_DOMAIN}", Role.REVIEWER, "小川 亮（審査員・ITコーディネータ）"),
    DemoAccount(f"reviewer4@{DEMO_DOMAIN}", Role.REVIEWER, "森 真理子（審査員・税理士）"),
]
ORGANISATIONS = ["鈴木経営研究所", "中村診断士事務所", "小川ITコンサルティング", "森税理士事務所"]
# A person without an account, invited to the open round's pool (the invitation waits).
INVITED_REVIEWER = (f"reviewer-invited@{DEMO_DOMAIN}", "高橋 彩（招待中の審査員）", "高橋デザイン研究所")

_PLACES = [
    ("北海道", "札幌市中央区"),
    ("宮城県", "仙台市青葉区"),
    ("東京都", "千代田区"),
    ("愛知県", "名古屋市中区"),
    ("大阪府", "大阪市北区"),
    ("広島県", "広島市中区"),
    ("福岡県", "福岡市博多区"),
    ("静岡県", "浜松市中央区"),
]
_WORDS = [
    ("あおば", "アオバ"),
    ("ひかり", "ヒカリ"),
    ("みなと", "ミナト"),
    ("つばさ", "ツバサ"),
    ("こだま", "コダマ"),
    ("いずみ", "イズミ"),
    ("はやて", "ハヤテ"),
    ("かえで", "カエデ"),
]
_TRADES = [("精機", "セイキ"), ("食品", "ショクヒン"), ("物流", "ブツリュウ"), ("工業", "コウギョウ")]
# The cloud system's cost (tax excluded) of each company, from a few figures so the sample
# quotations (which print it) are rendered once each.
_SYSTEM_YEN = [9_000_000, 15_000_000, 24_000_000, 36_000_000]
# Each company's quality on the 1-5 scale, in filing order: most are sound, a few are weak
# (disqualified: a total under the pass score, or a criterion at the floor), one divides the
# reviewers (flagged for the committee).
_QUALITY = [5, 4, 4, 3, 5, 4, 3, 4, 2, 5, 4, 4, 3, 5, 4, 1, 4, 3, 5, 4, 4, 2, 3, 4, 5, 4, 3, 4, 4, 5, 3, 4]
DIVISIVE = 6  # the company (index) one reviewer rates far apart from the others


def demo_reviewers() -> list[User]:
    return [demo_user(spec.email, spec.role, spec.name) for spec in REVIEWERS]


def corporate_number(serial: int) -> str:
    body = f"{710_000_000_000 + serial * 7919:012d}"
    return f"{check_digit(body)}{body}"


# The demo applicant's company applied to the past round too, and was awarded: applicant@ reads
# the published result on that application's page.
YAMADA = DemoCompany(
    name="株式会社やまだ製作所",
    kana="ヤマダセイサクショ",
    corporate_number="",
    prefecture="東京都",
    city="大田区",
    representative_email=f"applicant@{DEMO_DOMAIN}",
    representative_name="山田 花子",
    representative_kana="ヤマダ ハナコ",
    employees=42,
    system_yen=_SYSTEM_YEN[1],
    documents_for="見本（デモ用の書類）",
)


def decided_companies() -> Iterator[DemoCompany]:
    yield dataclasses.replace(YAMADA, corporate_number=corporate_number(0))
    for i in range(1, DECIDED_COMPANIES):
        word, word_kana = _WORDS[i % len(_WORDS)]
        trade, trade_kana = _TRADES[(i // len(_WORDS)) % len(_TRADES)]
        prefecture, city = _PLACES[i % len(_PLACES)]
        yield DemoCompany(
            name=f"株式会社{word}{trade}",
            kana=f"{word_kana}{trade_kana}",
            corporate_number=corporate_number(i + 1),
            prefecture=prefecture,
            city=city,
            representative_email=f"decided{i + 1:02d}@{DEMO_DOMAIN}",
            representative_name=f"代表 {i + 1:02d}",
            representative_kana=f"ダイヒョウ {i + 1:02d}",
            employees=10 + (i * 7) % 80,
            system_yen=_SYSTEM_YEN[(i * 5) % len(_SYSTEM_YEN)],
            documents_for="見本（デモ用の書類）",
        )


def screen(application: Application, secretariat: User) -> None:
    """The secretariat opens every document and confirms each item as met, then passes it."""
    for document in ApplicationDocument.objects.filter(application=application):
        screening.record_document_opening(actor=secretariat, document=document)
    for item in application.round.rules.review.screening:
        screening.confirm_item(application, actor=secretariat, code=item.code, met=True)
    screening.pass_screening(application, actor=secretariat)


def _score_for(quality: int, reviewer_index: int, criterion_index: int, *, divisive: bool) -> int:
    if divisive and reviewer_index == 0:
        return 1 if quality >= 3 else 5
    lenient = 1 if reviewer_index == 3 and criterion_index % 2 == 0 else 0
    harsh = -1 if reviewer_index == 1 and criterion_index % 3 == 0 else 0
    return max(1, min(5, quality + lenient + harsh))


def score_assignment(assignment: Assignment, reviewer_index: int, quality: int, *, divisive: bool) -> None:
    reviewer = assignment.reviewer
    assignment = conflicts.declare(actor=reviewer, assignment=assignment, conflict=False)
    rubric = assignment.application.round.rules.rubric
    values = {c.code: _score_for(quality, reviewer_index, i, divisive=divisive) for i, c in enumerate(rubric)}
    comments = {c.code: f"{c.name_ja}：計画の記載と数値から評価しました。" for c in rubric}
    score = assignment.score
    scores.submit(
        actor=reviewer,
        assignment=assignment,
        revision=score.revision,
        scores=values,
        comments=comments,
        overall_comment="計画の実現性と効果を総合して評価しました。",
    )


def seed_decided_round(
    programme: Programme, *, today: dt.date, secretariat: User, advisor: User, reviewers: list[User]
) -> Round:
    """A past round, reviewed, decided and published (idempotent: seeded once)."""
    existing = Round.objects.filter(code=DECIDED_ROUND_CODE).first()
    if existing is not None:
        return existing
    filed_on = today - dt.timedelta(days=90)
    with clock.as_of(filed_on):
        round_obj = builders.open_round(
            programme,
            code=DECIDED_ROUND_CODE,
            name_ja="デモ公募回（審査・公表済み）",
            name_en="Demo round (reviewed and published)",
            today=filed_on,
            opened_days_ago=20,
            closes_in_days=25,
            is_demo=True,
        )
        applications = [
            seed_submitted_application(advisor=advisor, round_obj=round_obj, company=company)
            for company in decided_companies()
        ]
    with clock.as_of(today - dt.timedelta(days=60)):
        for application in applications:
            screen(application, secretariat)
    with clock.as_of(today - dt.timedelta(days=55)):
        for i, reviewer in enumerate(reviewers):
            pool.add_reviewer(
                actor=secretariat, round_obj=round_obj, email=reviewer.email, organisation=ORGANISATIONS[i]
            )
            pool.accept_terms(actor=reviewer, round_obj=round_obj, terms_sha256=terms_sha256(round_obj))
        draws.run_draw(actor=secretariat, round_obj=round_obj, seed=DRAW_SEED)
    with clock.as_of(today - dt.timedelta(days=50)):
        # One reviewer knows the second company: they declare it, and its place is drawn again.
        first = Assignment.objects.filter(application=applications[1]).order_by("pk").first()
        assert first is not None
        conflicts.declare(actor=first.reviewer, assignment=first, conflict=True)
        order = {reviewer.pk: i for i, reviewer in enumerate(reviewers)}
        for index, application in enumerate(applications):
            for assignment in Assignment.objects.filter(
                application=application, status=assignment_states.AWAITING_DECLARATION
            ).select_related("reviewer", "application__round"):
                score_assignment(
                    assignment, order[assignment.reviewer_id], _QUALITY[index], divisive=index == DIVISIVE
                )
    with clock.as_of(today - dt.timedelta(days=40)):
        _decide(round_obj, secretariat, applications)
    with clock.as_of(today - dt.timedelta(days=30)):
        publishing.publish_round(actor=secretariat, round_obj=round_obj)
    # The demo's own self-signed certificate signs the notices (demo/awards.py: three awards
    # notified, two accepted with their payee accounts, an approved payment batch).
    signing.ensure_self_signed(Path(settings.DXGRANT_SIGNING_CERT), Path(settings.DXGRANT_SIGNING_KEY))
    demo_awards.seed_awards(round_obj, first=applications[0], today=today, secretariat=secretariat)
    return round_obj


def _decide(round_obj: Round, secretariat: User, applications: list[Application]) -> None:
    """The budget set so the last fundable proposals do not all fit, one amount reduced by the
    committee, the meeting recorded and the round decided."""
    rows = sorted(Committee(round_obj).rows, key=lambda row: -row.aggregate.score)
    fundable = [row for row in rows if row.sheet.proposed_yen > 0]
    # Room for about three quarters of what the rule proposes: the rest is passed over.
    total = sum(row.sheet.proposed_yen for row in fundable)
    budget.set_budget(
        actor=secretariat, round_obj=round_obj, budget_yen=(total * 3 // 4) // 1_000_000 * 1_000_000
    )
    reduced = fundable[2]
    overrides.record_override(
        actor=secretariat,
        application=Application.objects.get(pk=reduced.application_id),
        forced_outcome="",
        decided_yen=reduced.sheet.proposed_yen * 8 // 10 // 1000 * 1000,
        reason="研修費の一部が社内研修と重複しており、審査会で対象経費から除くことにしたため。",
    )
    meetings.record_meeting(
        actor=secretariat,
        round_obj=round_obj,
        held_on=timezone.localdate(),
        members="委員長 佐々木 隆、委員 山本 恵子、委員 井上 大輔",
        minutes="審査員の評点と算定ルールによる順位を確認し、予算の範囲で採択案を了承した。"
        "評点の割れた1件は評点の内容を確認のうえ、規則どおりとした。1件は研修費の重複を除いて減額した。",
    )
    deciding.decide_round(actor=secretariat, round_obj=round_obj)


def seed_open_round_review(
    *, round_obj: Round, secretariat: User, advisor: User, reviewers: list[User]
) -> None:
    """Two more companies of the open round submitted and passed through screening, and the
    reviewers drawn onto them; `reviewer@` has not yet accepted the round's terms (try it); one
    person without an account invited to the pool (the secretariat can resend or revoke it)."""
    if Application.objects.filter(round=round_obj, status=workflow.IN_REVIEW).exists():
        return
    for i, company in enumerate(list(decided_companies())[:2]):
        open_company = dataclasses.replace(
            company,
            name=company.name.replace("株式会社", "株式会社新"),
            kana=f"シン{company.kana}",
            corporate_number=corporate_number(900 + i),
            representative_email=f"open{i + 1:02d}@{DEMO_DOMAIN}",
        )
        application = seed_submitted_application(advisor=advisor, round_obj=round_obj, company=open_company)
        screen(application, secretariat)
    for i, reviewer in enumerate(reviewers):
        pool.add_reviewer(
            actor=secretariat, round_obj=round_obj, email=reviewer.email, organisation=ORGANISATIONS[i]
        )
        if i > 0:
            pool.accept_terms(actor=reviewer, round_obj=round_obj, terms_sha256=terms_sha256(round_obj))
    draws.run_draw(actor=secretariat, round_obj=round_obj, seed=DRAW_SEED)
    email, name, organisation = INVITED_REVIEWER
    invitations.invite_reviewer(
        actor=secretariat, round_obj=round_obj, email=email, name=name, organisation=organisation
    )
