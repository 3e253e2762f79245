"""The whole application with its labels (selectors.full_application and _full.html)."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from dxgrant.applications.models import Application, ApplicationDocument, PlanSection
from dxgrant.applications.presentation import full_application
from dxgrant.programs.models import Programme
from tests.factories.applications import PLAN_TEXT, fill_application, make_application

pytestmark = pytest.mark.django_db


def test_full_application_labels_every_section(programme: Programme) -> None:
    app = fill_application(make_application(programme, company_name="株式会社みらい工房", industry="E"))
    # Two of the required documents are still to come.
    ApplicationDocument.objects.filter(application=app, code__in=["tax_returns", "tax_certificate"]).delete()
    full = full_application(app)

    profile = {row["field"]: row["value"] for row in full["profile"]}
    assert profile["company_name"] == "株式会社みらい工房"
    assert profile["industry"] == "E 製造業"
    assert profile["capital_yen"] == "10,000,000円"
    assert profile["employees"] == "12人"
    assert profile["antisocial_ties"] == "いいえ"
    assert full["eligibility"] == {"judged": True, "eligible": True, "reasons": [], "missing": []}
    assert [s["title"] for s in full["plan"]][:2] == ["現状と経営課題", "DXで目指す姿"]
    assert full["plan"][0]["text"] == PLAN_TEXT
    assert [line["category_label"] for line in full["budget"]["lines"]] == [
        "ソフトウェア・クラウド利用料",
        "研修・人材育成費",
    ]
    assert full["budget"]["lines"][0]["quotes"]
    assert [d["label"] for d in full["documents"]] == [
        "履歴事項全部証明書（法人）／開業届の写し（個人事業主）"
    ]
    assert "納税証明書" in full["missing_documents"]
    assert all(d["accepted"] for d in full["declarations"])
    assert any("反社会的勢力" in d["text"] for d in full["declarations"])
    assert full["disclosure_confirmed"] is True
    disclosure = {row["field"]: row["value"] for row in full["disclosure"]}
    assert disclosure["fee_amount_yen"] == "550,000円"
    assert disclosure["fee_timing"] == "支援金の交付後"
    assert disclosure["advisor_sells_budget_items"] == "いいえ"


def test_full_application_explains_ineligible_and_incomplete_profiles(programme: Programme) -> None:
    app = fill_application(make_application(programme, employees=150))
    full = full_application(app)
    assert full["eligibility"]["judged"] is True
    assert full["eligibility"]["eligible"] is False
    assert "常時使用する従業員が100人以下である必要があります。" in full["eligibility"]["reasons"]

    bare = make_application(programme)
    full = full_application(bare)
    assert full["eligibility"]["judged"] is False
    assert "反社会的勢力との関係がある" in full["eligibility"]["missing"]
    assert full["budget"]["lines"] == []
    assert not any(d["accepted"] for d in full["declarations"])


def test_full_partial_renders_tables_and_totals(programme: Programme) -> None:
    app = fill_application(make_application(programme, company_name="株式会社みらい工房"))
    with translation.override("ja"):
        html = render_to_string("applications/_full.html", {"full": full_application(app)})
    assert "株式会社みらい工房" in html
    assert PLAN_TEXT in html
    assert "4,400,000円" in html  # budget total
    assert "4,000,000円" in html  # eligible total
    assert "クラウド受発注システム" in html
    assert "履歴事項全部証明書.pdf" in html
    assert "入力された会社概要は、申請要件を満たしています。" in html
    assert '<th scope="col">' in html


def test_full_application_query_count_does_not_grow_with_budget_lines(
    programme: Programme, django_assert_num_queries: object
) -> None:
    app = fill_application(make_application(programme))
    fresh = Application.objects.select_related("round", "firm").get(pk=app.pk)
    # plan sections, budget lines, their quotes, documents, declarations, declaration texts
    with django_assert_num_queries(6):  # type: ignore[operator]
        full_application(fresh)


def test_round_labels_follow_the_language(programme: Programme) -> None:
    app = fill_application(make_application(programme, industry="E"))
    with translation.override("en"):
        full = full_application(app)
    assert full["plan"][0]["title"] == "Current state and management challenges"
    assert {r["field"]: r["value"] for r in full["profile"]}["industry"] == "E Manufacturing"
    assert full["budget"]["lines"][0]["category_label"] == "Software and cloud services"
    assert full["documents"][0]["label"].startswith("Certificate of registered matters")
    assert any(d["text"].startswith("The applicant (including its officers)") for d in full["declarations"])


def test_the_plans_structured_parts_read_as_labelled_tables(programme: Programme) -> None:
    app = fill_application(make_application(programme))
    starts = app.round.programme_period_starts
    kpi = {"unit": "千円", "baseline": 12000, "year1": 13000, "year2": 14000, "year3": 15000.5}
    PlanSection.objects.filter(application=app, code="measures").update(
        data={
            "measures": [{"title": "需要予測", "description": "販売データで", "technologies": ["ai", "data"]}]
        }
    )
    PlanSection.objects.filter(application=app, code="schedule").update(
        data={"milestones": [{"title": "稼働", "due": starts.isoformat()}]}
    )
    PlanSection.objects.filter(application=app, code="kpis").update(
        data={
            "labour_productivity": kpi,
            "cost": kpi,
            "sales": kpi,
            "free": [
                {"name": "リピート率", "unit": "%", "baseline": 30, "year1": 32, "year2": 34, "year3": 36}
            ],
        }
    )
    with translation.override("ja"):
        html = render_to_string("applications/_full.html", {"full": full_application(app)})
    text = re.sub(r"<[^>]+>", " ", html)  # what a reader sees, without ids and classes
    for raw in ("measures", "milestones", "labour_productivity", "baseline", "year1", " ai ", "data"):
        assert raw not in text, raw
    assert "需要予測" in html and "AI、データ分析" in html
    assert f"{starts.year}年{starts.month}月{starts.day}日" in html
    assert "労働生産性" in html and "12,000" in html and "15,000.5" in html and "リピート率" in html
