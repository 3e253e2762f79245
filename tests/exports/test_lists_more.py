"""The last lists registered: the review rounds, a round's reviewers and suggested conflicts, the
decision rounds, the refused duplicates, the support engagements and the payee account changes.
Each writes the page's rows with the page's filters, links from its page, and is refused (403,
nothing recorded) to a role the page refuses."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, RefusedDuplicate
from dxgrant.awards.models import PayeeAccount
from dxgrant.exports import registry
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme, Round
from dxgrant.review import selectors as review_selectors
from dxgrant.review.models import ReviewerMembership
from dxgrant.support.models import Engagement
from tests.factories import UserFactory
from tests.factories.advisors import certified_firm
from tests.factories.review import reviewer_in_pool
from tests.factories.rounds import open_round
from tests.pages import awards_payee, decisions, review, support

pytestmark = pytest.mark.django_db


def _rows(response, encoding="utf-8-sig"):
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode(encoding), newline="")))


def _export(client, code, params=None, fmt="csv"):
    return client.get(f"/staff/exports/{code}/{fmt}/", params or {})


def test_review_rounds_with_applications_in_review_and_pool(client_for, programme):
    objects = review.make_objects()
    client = client_for(Role.AUDITOR)
    assert "/staff/exports/review-rounds/xlsx/" in client.get("/staff/review/").content.decode()
    rows = _rows(_export(client, "review-rounds"))
    assert rows[0] == ["公募回コード", "公募回名", "交付審査中の申請", "審査員"]
    pool = ReviewerMembership.objects.filter(round__code=objects["review_round"], active=True).count()
    assert [r for r in rows[1:] if r[0] == objects["review_round"]] == [
        [objects["review_round"], Round.objects.get(code=objects["review_round"]).name_ja, "3", str(pool)]
    ]


def test_reviewers_with_the_workload_the_round_page_counts(client_for, programme):
    objects = review.make_objects()
    code = objects["review_round"]
    client = client_for(Role.SECRETARIAT)
    page = client.get(f"/staff/review/rounds/{code}/").content.decode()
    assert f"/staff/exports/reviewers/csv-sjis/?round={code}" in page
    rows = _rows(_export(client, "reviewers", {"round": code}))
    assert rows[0][:3] == ["審査員", "メールアドレス", "所属"]
    assert rows[0][6:] == ["担当", "申告待ち", "採点中", "提出済み", "利益相反"]
    expected = {
        w.membership.reviewer.email: [str(w.holding), str(w.awaiting), str(w.scoring), str(w.submitted), "0"]
        for w in review_selectors.progress(Round.objects.get(code=code)).workloads
    }
    assert {r[1]: r[6:] for r in rows[1:]} == expected
    busy = next(r for r in rows[1:] if r[2] == "審査ページ用の大学")
    assert busy[6:9] == ["2", "1", "1"]  # awaiting the declaration and scoring
    assert _rows(_export(client, "reviewers", {"round": "no-such-round"}))[1:] == []
    assert _rows(_export(client, "reviewers"))[1:] == []  # no round, no rows


def test_conflicts_as_the_page_suggests_them(client_for, programme):
    objects = review.make_objects()
    code = objects["review_round"]
    round_obj = Round.objects.get(code=code)
    member = reviewer_in_pool(round_obj, organisation="審査ページ採点中株式会社")
    client = client_for(Role.AUDITOR)
    page = client.get(f"/staff/review/rounds/{code}/conflicts/").content.decode()
    assert f"/staff/exports/conflicts/csv/?round={code}" in page
    rows = _rows(_export(client, "conflicts", {"round": code}))
    assert rows[0] == ["審査員", "所属", "受付番号", "会社名・屋号", "認定事業者", "一致した点"]
    application = Application.objects.select_related("firm").get(company_name="審査ページ採点中株式会社")
    row = next(r for r in rows[1:] if r[0] == member.email and r[3] == application.company_name)
    assert row[1:5] == ["審査ページ採点中株式会社", application.receipt_number or "", application.company_name,
                        application.firm.name]  # fmt: skip
    assert "所属が申請企業名と一致" in row[5].split("、")
    assert len(rows) - 1 == len(review_selectors.suggested_conflicts(round_obj))


def test_decision_rounds_with_their_state_for_the_secretariat_only(client_for, programme):
    objects = decisions.make_objects()
    client = client_for(Role.SECRETARIAT)
    assert "/staff/exports/decision-rounds/xlsx/" in client.get("/staff/decisions/").content.decode()
    rows = _rows(_export(client, "decision-rounds"))
    assert rows[0][:5] == ["公募回コード", "公募回名", "状態", "予算額（円）", "採択額の合計（円）"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[objects["published_round"]][2] == "公表済み"
    assert by_code[objects["published_round"]][4] == "4000000"
    assert by_code[objects["committee_round"]][2:5] == ["未決定", "", ""]
    assert len(by_code) == Round.objects.count()
    for role in (Role.AUDITOR, Role.FINANCE):
        assert _export(client_for(role), "decision-rounds").status_code == 403


def test_refused_duplicates_all_of_them_in_the_pages_round(client_for, programme):
    round_obj = open_round(Programme.objects.get())
    other_round = open_round(Programme.objects.get(), "dx-other-duplicates")
    advisor = UserFactory(role=Role.ADVISOR, email="dup-advisor@example.jp")
    firm = certified_firm(Programme.objects.get(), name="重複テスト事業者")
    for i in range(12):  # more than the ten the page shows
        RefusedDuplicate.objects.create(round=round_obj, company_key=f"1234567890{i:03d}", firm=firm,
                                        attempted_by=advisor)  # fmt: skip
    RefusedDuplicate.objects.create(round=other_round, company_key="=cmd", firm=firm, attempted_by=advisor)
    client = client_for(Role.SECRETARIAT)
    assert "/staff/exports/refused-duplicates/csv/" in client.get("/staff/applications/").content.decode()
    rows = _rows(_export(client, "refused-duplicates"))
    assert rows[0] == ["日時", "公募回", "会社（法人番号または名称）", "認定事業者", "操作した人"]
    assert len(rows) == 14 and rows[1][2:] == ["'=cmd", "重複テスト事業者", "dup-advisor@example.jp"]
    only = _rows(_export(client, "refused-duplicates", {"round": str(round_obj.pk)}))
    assert len(only) == 13 and {r[1] for r in only[1:]} == {round_obj.name_ja}


def test_engagements_with_the_pages_filters(client_for, programme):
    objects = support.make_objects()
    engagement = Engagement.objects.select_related("round", "firm").get(pk=objects["support_engagement"])
    client = client_for(Role.AUDITOR)
    assert "/staff/exports/engagements/xlsx/" in client.get("/support/staff/").content.decode()
    rows = _rows(_export(client, "engagements"))
    assert rows[0][:4] == ["支援先", "法人番号", "公募回", "認定事業者"]
    row = next(r for r in rows[1:] if r[0] == engagement.company_name)
    assert row[2:4] == [engagement.round.name_ja, "支援ページ用の事業者"]
    assert row[7] == "1"  # one hearing
    assert _rows(_export(client, "engagements", {"q": "存在しない会社名"}))[1:] == []
    assert _rows(_export(client, "engagements", {"status": engagement.status}))[1:]
    response = _export(client, "engagements", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in next(sheet.iter_rows())][0] == "支援先"


def test_payee_changes_awaiting_acknowledgement(client_for, programme):
    objects = awards_payee.make_objects()
    client = client_for(Role.AUDITOR)
    assert "/staff/exports/payee-changes/csv/" in client.get("/staff/awards/payee/changes/").content.decode()
    rows = _rows(_export(client, "payee-changes"))
    assert rows[0][:4] == ["受付番号", "会社名・屋号", "公募回", "金融機関コード"]
    account = PayeeAccount.objects.select_related("application").get(pk=objects["payee_change"])
    assert len(rows) == 2
    assert rows[1][0:2] == [account.application.receipt_number or "", "株式会社ヤマダ製作所"]
    assert rows[1][3] == "0005" and rows[1][8:10] == ["7654321", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"]
    sjis = _rows(_export(client, "payee-changes", fmt="csv-sjis"), "cp932")
    assert sjis[1][9] == "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"


LISTS = [
    ("review-rounds", "/staff/review/", Role.FINANCE),
    ("reviewers", None, Role.REVIEWER),
    ("conflicts", None, Role.ADVISOR),
    ("decision-rounds", "/staff/decisions/", Role.AUDITOR),
    ("refused-duplicates", "/staff/applications/", Role.FINANCE),
    ("engagements", "/support/staff/", Role.ADVISOR),
    ("payee-changes", "/staff/awards/payee/changes/", Role.FINANCE),
]


@pytest.mark.parametrize(("code", "page", "role"), LISTS)
def test_refused_as_the_page_is_and_nothing_recorded(client_for, programme, code, page, role):
    client = client_for(role)
    if page is not None:
        assert client.get(page).status_code == 403
    assert _export(client, code, {"round": "x"}).status_code == 403
    assert client.post(f"/staff/exports/{code}/csv/", {"round": "x"}).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="exports.").exists()


def test_round_pages_refused_to_a_reviewer_too(client_for, programme):
    objects = review.make_objects()
    client = client_for(Role.REVIEWER)
    code = objects["review_round"]
    assert client.get(f"/staff/review/rounds/{code}/").status_code == 403
    assert client.get(f"/staff/review/rounds/{code}/conflicts/").status_code == 403
    for export in ("reviewers", "conflicts"):
        assert _export(client, export, {"round": code}).status_code == 403


def _more_reviewers(objects):
    round_obj = Round.objects.get(code=objects["review_round"])
    for _i in range(3):
        reviewer_in_pool(round_obj)


def _more_engagements(objects):
    support.make_objects()


def _more_payee_changes(objects):
    awards_payee.make_objects()


def _more_duplicates(objects):
    application = (
        Application.objects.filter(status=workflow.IN_REVIEW).select_related("round", "firm").first()
    )
    advisor = UserFactory(role=Role.ADVISOR)
    for i in range(3):
        RefusedDuplicate.objects.create(round=application.round, company_key=f"k{i}", firm=application.firm,
                                        attempted_by=advisor)  # fmt: skip


GROWING = {
    "reviewers": (review.make_objects, _more_reviewers, lambda o: {"round": o["review_round"]}),
    "engagements": (support.make_objects, _more_engagements, lambda o: {}),
    "payee-changes": (awards_payee.make_objects, _more_payee_changes, lambda o: {}),
    "refused-duplicates": (review.make_objects, _more_duplicates, lambda o: {}),
    "review-rounds": (review.make_objects, lambda o: reviewer_in_pool(open_round(Programme.objects.get(), "dx-more")), lambda o: {}),
    "decision-rounds": (decisions.make_objects, lambda o: open_round(Programme.objects.get(), "dx-more"), lambda o: {}),
}  # fmt: skip


@pytest.mark.parametrize("code", list(GROWING))
def test_rows_read_in_constant_queries(programme, code):
    """The same number of queries for the rows whatever their number."""
    export = registry.get(code)
    assert export is not None
    make, more, params = GROWING[code]
    objects = make()
    if code == "refused-duplicates":
        _more_duplicates(objects)
    staff = UserFactory(role=Role.SECRETARIAT)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(export.rows(export.queryset(staff, params(objects))))
        return len(rows), len(ctx.captured_queries)

    few, first = count()
    more(objects)
    many, second = count()
    assert many > few and second == first, (few, first, many, second)
