"""Bulk data for the benchmarks: certified firms and submitted applications (each with its
engagement), written with bulk_create in batches, no per-row services, so that 200,000
applications load in minutes on PostgreSQL or SQLite.

Names are built from a few dozen words with their readings, so that searches meet the mix a
real register has: common words (株式会社, 製作所) shared by thousands of rows, and rarer
combinations shared by a handful. Every row gets its search columns from `refresh_search()`,
the same code a save runs (dxgrant.core.search).

`Generator(programme, round)` keeps counters, so data can be added in steps (1,000 applications,
then 199,000 more) and a benchmark can compare the same request at both sizes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.models import AdvisorFirm, CertificationState, RegistrationStatus
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.japan.corporate_number import check_digit
from dxgrant.japan.prefectures import PREFECTURES
from dxgrant.programs.models import Programme, Round
from dxgrant.support.models import Engagement, EngagementStatus

BATCH = 5_000

# (written, reading) pairs; a company name is a place or family word, a trade word and a legal form.
FIRST = [
    ("山田", "ヤマダ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("さくら", "サクラ"),
    ("もみじ", "モミジ"),
    ("つばき", "ツバキ"),
    ("あおば", "アオバ"),
    ("ひかり", "ヒカリ"),
    ("みらい", "ミライ"),
    ("なにわ", "ナニワ"),
    ("北海", "ホッカイ"),
    ("東海", "トウカイ"),
    ("九州", "キュウシュウ"),
    ("富士", "フジ"),
    ("大和", "ヤマト"),
    ("日本", "ニホン"),
    ("関東", "カントウ"),
    ("湘南", "ショウナン"),
    ("信州", "シンシュウ"),
    ("瀬戸", "セト"),
    ("若葉", "ワカバ"),
    ("朝日", "アサヒ"),
    ("三河", "ミカワ"),
]
SECOND = [
    ("製作所", "セイサクショ"),
    ("商事", "ショウジ"),
    ("電機", "デンキ"),
    ("食品", "ショクヒン"),
    ("工業", "コウギョウ"),
    ("建設", "ケンセツ"),
    ("運輸", "ウンユ"),
    ("物産", "ブッサン"),
    ("精機", "セイキ"),
    ("印刷", "インサツ"),
    ("システム", "システム"),
    ("ファーム", "ファーム"),
    ("ホールディングス", "ホールディングス"),
    ("テクノ", "テクノ"),
    ("商会", "ショウカイ"),
    ("産業", "サンギョウ"),
    ("化成", "カセイ"),
    ("製菓", "セイカ"),
    ("醸造", "ジョウゾウ"),
    ("サービス", "サービス"),
]
FORMS = [
    ("株式会社", "カブシキガイシャ", True),
    ("有限会社", "ユウゲンガイシャ", True),
    ("合同会社", "ゴウドウガイシャ", False),
]
FIRM_WORDS = [
    ("経営支援", "ケイエイシエン"),
    ("DXパートナーズ", "ディーエックスパートナーズ"),
    ("コンサルティング", "コンサルティング"),
]
STATUSES = [workflow.SUBMITTED, workflow.SCREENING, workflow.RETURNED]


def corporate_number(serial: int) -> str:
    base = f"{300000000000 + serial:012d}"
    return f"{check_digit(base)}{base}"


def company(serial: int) -> tuple[str, str]:
    """The name and reading of company `serial`: the same serial always gives the same name."""
    first, first_kana = FIRST[serial % len(FIRST)]
    second, second_kana = SECOND[(serial // len(FIRST)) % len(SECOND)]
    form, form_kana, before = FORMS[(serial // (len(FIRST) * len(SECOND))) % len(FORMS)]
    if before:
        return f"{form}{first}{second}", f"{first_kana}{second_kana}"
    return f"{first}{second}{form}", f"{first_kana}{second_kana}"


def _batches(items: Iterator[object], size: int = BATCH) -> Iterator[list[object]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


class Generator:
    def __init__(self, programme: Programme, round_obj: Round) -> None:
        self.programme = programme
        self.round = round_obj
        self.prefix = programme.certification_rules.number_prefix
        self.receipt_prefix = "DX"
        self.advisor, _ = User.objects.get_or_create(
            email="bench-advisor@example.jp", defaults={"role": Role.ADVISOR, "display_name": "ベンチ 支援"}
        )
        self.firms: list[int] = list(AdvisorFirm.objects.order_by("pk").values_list("pk", flat=True))
        self.applications = Application.objects.count()

    def add_firms(self, n: int) -> None:
        """n certified firms in good standing, named from the word lists."""
        today = timezone.localdate()
        start = len(self.firms)

        def rows() -> Iterator[object]:
            for i in range(start, start + n):
                first, first_kana = FIRST[i % len(FIRST)]
                word, word_kana = FIRM_WORDS[(i // len(FIRST)) % len(FIRM_WORDS)]
                firm = AdvisorFirm(
                    programme=self.programme,
                    registration_status=RegistrationStatus.CERTIFIED,
                    name=f"{first}{word}株式会社 第{i + 1}支社",
                    name_kana=f"{first_kana}{word_kana}",
                    prefecture=PREFECTURES[i % len(PREFECTURES)],
                    corporate_number=corporate_number(900_000_000 + i),
                    certification_number=f"{self.prefix}-2025-{i + 1:05d}",
                    certification_state=CertificationState.ACTIVE,
                    valid_from=today - dt.timedelta(days=30),
                    valid_until=today + dt.timedelta(days=700),
                    created_by=self.advisor,
                    decided_at=timezone.now(),
                )
                firm.refresh_search()
                yield firm

        for batch in _batches(rows()):
            created = AdvisorFirm.objects.bulk_create(batch)  # type: ignore[arg-type]
            self.firms += [f.pk for f in created]

    def add_applications(self, n: int) -> None:
        """n submitted applications of new companies, each with its engagement, spread over the firms."""
        assert self.firms, "add firms first"
        start = self.applications
        now = timezone.now()
        prefectures = PREFECTURES
        for offset in range(0, n, BATCH):
            serials = range(start + offset, start + min(n, offset + BATCH))
            engagements = []
            for serial in serials:
                name, _kana = company(serial)
                engagement = Engagement(
                    firm_id=self.firms[serial % len(self.firms)],
                    round=self.round,
                    lead_advisor=self.advisor,
                    company_name=name,
                    corporate_number=corporate_number(serial),
                    status=EngagementStatus.ACTIVE,
                )
                engagement.refresh_search()
                engagements.append(engagement)
            engagements = Engagement.objects.bulk_create(engagements)
            applications = []
            for serial, engagement in zip(serials, engagements, strict=True):
                name, kana = company(serial)
                application = Application(
                    round=self.round,
                    engagement=engagement,
                    firm_id=engagement.firm_id,
                    status=STATUSES[serial % len(STATUSES)],
                    company_key=engagement.corporate_number,
                    entity_type="corporation",
                    corporate_number=engagement.corporate_number,
                    company_name=name,
                    company_name_kana=kana,
                    prefecture=prefectures[serial % len(prefectures)],
                    industry="E",
                    employees=1 + serial % 100,
                    receipt_number=f"{self.receipt_prefix}-2026-{serial + 1:06d}",
                    submitted_at=now,
                )
                application.refresh_search()
                applications.append(application)
            Application.objects.bulk_create(applications)
        self.applications += n
        analyse()


def analyse() -> None:
    """Bring the database to the state autovacuum leaves it in soon after a bulk load: the
    planner's statistics refreshed and, on PostgreSQL, the tables vacuumed, which also merges
    the GIN search index's pending list (rows inserted since are kept unsorted until then and
    every search reads them). Measuring while autovacuum works through 200,000 new rows on a
    2-core machine would time the vacuum, not the page. (Inside a transaction, as in the tests,
    VACUUM cannot run and statistics are all that is refreshed.)"""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
