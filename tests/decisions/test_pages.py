"""The committee page stays flat as applications grow, and the pages say what they refuse."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.decisions import selectors
from dxgrant.programs.review_schema import ReviewRules

from .builders import all_at, reviewed, reviewers

pytestmark = pytest.mark.django_db


def count(client, url):
    client.get("/robots-warmup-404")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_committee_page_is_flat_and_what_if_saves_nothing(
    committee_round, client_for, programme, secretariat
):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/"
    small, _ = count(client, url)
    people = reviewers(3)
    for _ in range(6):
        reviewed(
            programme,
            round_obj,
            eligible_yen=3_000_000,
            scores=[all_at(round_obj, 4)] * 3,
            people=people,
            secretariat=secretariat,
        )
    large, _ = count(client, url)
    assert small == large
    _, body = count(client, url + "?budget=14,000,000")
    assert "保存されていません" in body
    round_obj.refresh_from_db()
    assert round_obj.budget_yen == 10_000_000


def test_override_above_the_rule_is_refused_on_the_page(committee_round, client_for):
    round_obj, apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/applications/{apps['A'].pk}/override/"
    response = client.post(url, {"forced_outcome": "", "decided_yen": "6,000,001", "reason": "増額"})
    assert response.status_code == 400
    assert "算定額（6,000,000円）以下" in response.content.decode()


def test_exports_csv_bom_and_xlsx(committee_round, client_for):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    csv = client.get(f"/staff/decisions/{round_obj.code}/export/decisions.csv")
    assert csv.content.startswith("\ufeff".encode()) and "株式会社A" in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"/staff/decisions/{round_obj.code}/export/scores.xlsx")
    assert xlsx.content[:2] == b"PK"


def first_cell(body, row):
    """The first reviewer's figure in the aggregation table's row headed `row`."""
    after = body.split(f'<th scope="row">{row}</th>')[1]
    return re.search(r"<td>\s*([^<\s]+)", after).group(1)


def standardise(round_obj):
    round_obj.review_rules = ReviewRules(standardise=True).model_dump(mode="json")
    round_obj.save(update_fields=["review_rules"])
    round_obj.__dict__.pop("rules", None)  # read the rules again (a cached property)


def test_the_aggregation_page_shows_each_reviewers_z_when_the_round_standardises(committee_round, client_for):
    """Reviewer 1 gave A 100, B 80, C 70 and D 92: mean 85.50, deviation √130.75 = 11.43, and A's
    z = 14.5 ÷ 11.43… = 1.27."""
    round_obj, apps = committee_round
    client = client_for(Role.AUDITOR)
    url = f"/staff/decisions/{round_obj.code}/applications/{apps['A'].pk}/"
    plain = client.get(url).content.decode()
    assert "z得点" not in plain and "審査員の標準偏差" not in plain and "全4件" not in plain
    standardise(round_obj)
    body = client.get(url).content.decode()
    assert "z得点" in body and "審査員の標準偏差" in body
    assert "<td>85.50（全4件）</td>" in body
    assert first_cell(body, "審査員の標準偏差") == "11.43"
    assert first_cell(body, "z得点") == "1.27"
    agg = selectors.application_figures(round_obj, apps["A"].pk).aggregate
    assert agg is not None and agg.standardisation is not None
    behind = agg.standardisation
    assert f"全体の平均 {behind.pool_mean} + z得点 × 全体の標準偏差 {behind.pool_stdev}" in body
    assert f"<td>{agg.standardised}</td>" in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    assert "z-score" in english and "across 4 applications" in english


def test_the_aggregation_page_stays_flat_when_the_round_standardises(
    committee_round, client_for, programme, secretariat
):
    round_obj, apps = committee_round
    standardise(round_obj)
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/applications/{apps['A'].pk}/"
    small, body = count(client, url)
    assert "z得点" in body
    people = reviewers(3)
    for level in (2, 3, 4, 5):
        reviewed(
            programme,
            round_obj,
            eligible_yen=3_000_000,
            scores=[all_at(round_obj, level)] * 3,
            people=people,
            secretariat=secretariat,
        )
    large, _ = count(client, url)
    assert small == large


def test_the_aggregation_page_standardises_against_the_committees_pool(
    committee_round, client_for, programme, secretariat
):
    """Mid-review, an application scored by one reviewer of three is not in the committee's
    ranking; it must not move that reviewer's mean on the aggregation page either, or the two
    pages would show different standardised totals for the same application."""
    round_obj, apps = committee_round
    standardise(round_obj)
    people = reviewers(3)
    reviewed(
        programme,
        round_obj,
        eligible_yen=3_000_000,
        scores=[all_at(round_obj, 1)],
        people=people[:1],
        secretariat=secretariat,
    )
    committee = {row.application_id: row.aggregate.score for row in selectors.Committee(round_obj).rows}
    page = selectors.application_figures(round_obj, apps["A"].pk).aggregate
    assert page is not None and page.score == committee[apps["A"].pk]
