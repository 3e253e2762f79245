"""The differences between two submitted versions, as staff read them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.applications.diff import compare_snapshots, text_diff
from dxgrant.applications.models import Application, ApplicationDocument, BudgetLine, PlanSection
from dxgrant.programs.models import Programme
from tests.factories.applications import add_document, fill_application, make_application, make_version

pytestmark = pytest.mark.django_db

LIST = "/staff/applications/"


def corrected(programme: Programme) -> Application:
    """Version 1, then a correction: employees, plan text, a budget line swapped, a new document."""
    app = fill_application(make_application(programme, company_name="差分株式会社"))
    # Version 1 came without the tax certificate; the correction adds it.
    ApplicationDocument.objects.filter(application=app, code="tax_certificate").delete()
    make_version(app)
    app.employees = 15
    app.save()
    PlanSection.objects.filter(application=app, code="current_state").update(
        text="受発注をクラウドで一元管理し、在庫データを毎週分析して欠品を半減させます。"
    )
    BudgetLine.objects.filter(application=app, item="データ活用研修").delete()
    BudgetLine.objects.create(
        application=app,
        category="hardware",
        item="在庫センサー",
        vendor="センサー工業",
        quantity=10,
        unit_price_yen=20_000,
        amount_yen=220_000,
        eligible_amount_yen=200_000,
        position=3,
    )
    line = BudgetLine.objects.get(application=app, item="クラウド受発注システム")
    line.unit_price_yen = 2_800_000
    line.save()
    add_document(app, code="tax_certificate", name="納税証明書.pdf")
    make_version(app)
    return app


def test_text_diff_marks_inserted_and_deleted_characters() -> None:
    spans = text_diff("在庫データを毎日分析", "在庫データを毎週分析して")
    assert {"op": "delete", "text": "日"} in spans
    assert {"op": "insert", "text": "週"} in spans
    assert {"op": "insert", "text": "して"} in spans
    assert "".join(s["text"] for s in spans if s["op"] != "delete") == "在庫データを毎週分析して"
    assert "".join(s["text"] for s in spans if s["op"] != "insert") == "在庫データを毎日分析"


def test_text_diff_matches_sentences_first_and_keeps_both_texts() -> None:
    old = "第一文です。第二文は古い。第三文。"
    new = "第一文です。第二文は新しい。第三文。追加した文。"
    spans = text_diff(old, new)
    assert spans[0] == {"op": "equal", "text": "第一文です。第二文は"}
    assert spans[-1] == {"op": "insert", "text": "追加した文。"}
    assert "".join(s["text"] for s in spans if s["op"] != "delete") == new
    assert "".join(s["text"] for s in spans if s["op"] != "insert") == old


def test_a_rewritten_long_passage_is_one_deletion_and_one_insertion() -> None:
    old, new = "あ" * 900, "い" * 900
    assert text_diff(old, new) == [{"op": "delete", "text": old}, {"op": "insert", "text": new}]
    assert text_diff("", "新しい文。") == [{"op": "insert", "text": "新しい文。"}]


def test_compare_snapshots_per_section(programme: Programme) -> None:
    app = corrected(programme)
    v1, v2 = app.versions.order_by("number")
    result = compare_snapshots(v1.snapshot, v2.snapshot, app.round)
    assert result["changed"] is True
    assert result["profile"] == [
        {"field": "employees", "label": "常時使用する従業員数", "old": "12人", "new": "15人"}
    ]
    [plan] = result["plan"]
    assert plan["title"] == "現状と経営課題"
    assert {"op": "insert", "text": "週"} in plan["spans"]
    assert [line["item"] for line in result["budget"]["added"]] == ["在庫センサー"]
    assert result["budget"]["added"][0]["category_label"] == "機器・設備"
    assert [line["item"] for line in result["budget"]["removed"]] == ["データ活用研修"]
    [changed] = result["budget"]["changed"]
    assert changed["line"]["item"] == "クラウド受発注システム"
    assert {"label": "単価（税抜）", "old": "3,000,000円", "new": "2,800,000円"} in changed["fields"]
    assert [d["label"] for d in result["documents"]["added"]] == ["納税証明書"]
    assert result["documents"]["removed"] == []
    assert result["disclosure"] == []
    assert result["declarations"] == []


def test_changed_measures_and_milestones_read_with_their_labels(programme: Programme) -> None:
    app = fill_application(make_application(programme))
    starts = app.round.programme_period_starts
    PlanSection.objects.filter(application=app, code="schedule").update(data={})  # no milestone yet
    measures = PlanSection.objects.get(application=app, code="measures")
    measures.data = {"measures": [{"title": "需要予測", "description": "", "technologies": ["ai"]}]}
    measures.save()
    v1 = make_version(app)
    measures.data = {"measures": [{"title": "需要予測", "description": "", "technologies": ["ai", "data"]}]}
    measures.save()
    PlanSection.objects.filter(application=app, code="schedule").update(
        data={"milestones": [{"title": "稼働", "due": starts.isoformat()}]}
    )
    v2 = make_version(app)
    result = compare_snapshots(v1.snapshot, v2.snapshot, app.round)
    by_title = {section["title"]: section["data_changes"] for section in result["plan"]}
    assert by_title["取組内容"] == [
        {
            "label": "取組",
            "old": "名称：需要予測 ／ 使う技術：AI",
            "new": "名称：需要予測 ／ 使う技術：AI、データ分析",
        }
    ]
    [milestone] = by_title["実施スケジュール"]
    assert milestone["label"] == "節目（マイルストーン）" and milestone["old"] == ""
    assert milestone["new"] == f"内容：稼働 ／ 時期：{starts.year}年{starts.month}月{starts.day}日"


def test_identical_versions_show_no_change(programme: Programme) -> None:
    app = fill_application(make_application(programme))
    v1, v2 = make_version(app), make_version(app)
    assert compare_snapshots(v1.snapshot, v2.snapshot, app.round)["changed"] is False


def test_diff_page_shows_old_and_new(programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = corrected(programme)
    client = client_for(Role.AUDITOR)
    html = client.get(f"{LIST}{app.pk}/diff/").content.decode()
    assert "第1版 → 第2版" in html
    assert "<ins>15人</ins>" in html and "<del>12人</del>" in html
    assert "週</ins>" in html and "日</del>" in html
    assert "在庫センサー" in html and "データ活用研修" in html
    assert "納税証明書.pdf" in html
    # Explicit versions, either way round.
    html = client.get(f"{LIST}{app.pk}/diff/", {"a": 2, "b": 1}).content.decode()
    assert "第2版 → 第1版" in html
    assert "<ins>12人</ins>" in html


def test_diff_page_explains_when_there_is_nothing_to_compare(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = fill_application(make_application(programme))
    make_version(app)
    client = client_for(Role.SECRETARIAT)
    assert "比較できる版が二つ以上ありません。" in client.get(f"{LIST}{app.pk}/diff/").content.decode()
    make_version(app)
    html = client.get(f"{LIST}{app.pk}/diff/", {"a": 1, "b": 9}).content.decode()
    assert "指定された版が見つかりません。" in html


def test_version_page_shows_the_filed_text(programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = corrected(programme)
    client = client_for(Role.SECRETARIAT)
    html = client.get(f"{LIST}{app.pk}/versions/1/").content.decode()
    assert "在庫データを毎日分析" in html
    assert "データ活用研修" in html
    assert client.get(f"{LIST}{app.pk}/versions/7/").status_code == 404
