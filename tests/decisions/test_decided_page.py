"""The committee page once the round is decided: the Decision rows as recorded (read-only), the
budget and awarded total of the RoundDecision, and the publication state; the exports read the
same rows. And the yen fields of the committee's pages take "8,000,000" and full-width digits."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.decisions.models import Override
from dxgrant.decisions.services import deciding, meetings, overrides, publishing
from tests.factories.rounds import open_round

from .builders import all_at, reviewed, reviewers

pytestmark = pytest.mark.django_db


def table_rows(body: str) -> list[list[str]]:
    """The committee table's body rows, each cell's text with the whitespace collapsed."""
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", tbody, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def decide(round_obj, secretariat, *, publish: bool) -> None:
    meetings.record_meeting(
        actor=secretariat,
        round_obj=round_obj,
        held_on=timezone.localdate(),
        members="委員A、委員B",
        minutes="審議した。",
    )
    deciding.decide_round(actor=secretariat, round_obj=round_obj)
    if publish:
        publishing.publish_round(actor=secretariat, round_obj=round_obj)


def queries(client, url: str) -> tuple[int, str]:
    client.get("/robots-warmup-404")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


DECIDED = [
    ["1", "株式会社A", "95.00", "9,000,000円", "2/3", "6,000,000円", "5,500,000円", "5,500,000円",
     "採択 審査会による変更：経費の一部が対象外"],
    ["2", "株式会社D", "92.00", "4,500,000円", "2/3", "0円", "0円", "5,500,000円", "失格（基準未達）"],
    ["3", "株式会社B", "80.00", "7,500,000円", "2/3", "5,000,000円", "0円", "5,500,000円",
     "予算超過のため見送り"],
    ["4", "株式会社C", "70.00", "4,500,000円", "2/3", "3,000,000円", "3,000,000円", "8,500,000円", "採択"],
]  # fmt: skip


def test_the_published_round_shows_its_decided_entries(committee_round, client_for, secretariat):
    round_obj, apps = committee_round
    overrides.record_override(
        actor=secretariat,
        application=apps["A"],
        forced_outcome="",
        decided_yen=5_500_000,
        reason="経費の一部が対象外",
    )
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/"
    decide(round_obj, secretariat, publish=True)
    # What the committee decided stands, whatever changes after: the budget in the round, the
    # override (the decision froze them).
    round_obj.budget_yen = 50_000_000
    round_obj.save(update_fields=["budget_yen"])
    Override.objects.filter(application=apps["A"]).update(decided_yen=1, reason="後からの変更")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert table_rows(body) == DECIDED
    assert "審査の済んだ申請はまだありません" not in body
    assert "<dd>10,000,000円</dd>" in body and "<dd>8,500,000円</dd>" in body
    assert "公表済みです。" in body
    # Read-only: no what-if, no changing the budget, the meeting or a result, no deciding again.
    for gone in (
        "この予算額で試算する",
        "予算額を変更する",
        "審査会を記録する",
        "結果・金額を変更する",
        "交付決定する",
    ):
        assert gone not in body
    # A what-if on the decided page changes nothing shown.
    assert table_rows(client.get(url + "?budget=100").content.decode()) == DECIDED


def test_decided_but_not_published(committee_round, client_for, secretariat):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/"
    before = table_rows(client.get(url).content.decode())
    decide(round_obj, secretariat, publish=False)
    body = client.get(url).content.decode()
    after = table_rows(body)
    # The same ranking, now as recorded (without the links to change a result).
    assert [r[:8] for r in after] == [r[:8] for r in before]
    assert [r[8] for r in after] == ["採択", "失格（基準未達）", "予算超過のため見送り", "採択"]
    assert "審査結果を公表する" in body and "公表済みです。" not in body


def test_decided_page_stays_flat_as_entries_grow(programme, client_for, secretariat):
    """Two decided rounds, one with 2 entries and one with 8: the same number of queries."""
    client = client_for(Role.SECRETARIAT)
    counts = []
    for code, n in (("dx-decided-small", 2), ("dx-decided-large", 8)):
        round_obj = open_round(programme, code)
        people = reviewers(3)
        for _ in range(n):
            reviewed(
                programme,
                round_obj,
                eligible_yen=3_000_000,
                scores=[all_at(round_obj, 4)] * 3,
                people=people,
                secretariat=secretariat,
            )
        decide(round_obj, secretariat, publish=True)
        count, body = queries(client, f"/staff/decisions/{round_obj.code}/")
        assert len(table_rows(body)) == n
        counts.append(count)
    assert counts[0] == counts[1]


def test_exports_after_publication_read_the_decisions(committee_round, client_for, secretariat):
    round_obj, apps = committee_round
    decide(round_obj, secretariat, publish=True)
    client = client_for(Role.SECRETARIAT)
    text = client.get(f"/staff/decisions/{round_obj.code}/export/decisions.csv").content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert len(lines) == 5
    assert [line.split(",")[3] for line in lines[1:]] == ["株式会社A", "株式会社D", "株式会社B", "株式会社C"]
    assert [line.split(",")[9] for line in lines[1:]] == ["awarded", "disqualified", "rejected", "awarded"]


# --- Yen fields -----------------------------------------------------------------------------


def yen_input(body: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, name
    return match.group(0)


def test_yen_fields_are_text_inputs_with_a_numeric_keyboard(committee_round, client_for):
    round_obj, apps = committee_round
    client = client_for(Role.SECRETARIAT)
    base = f"/staff/decisions/{round_obj.code}/"
    pages = [
        (base, "budget"),
        (base + "budget/", "budget_yen"),
        (base + f"applications/{apps['A'].pk}/override/", "decided_yen"),
    ]
    for url, name in pages:
        tag = yen_input(client.get(url).content.decode(), name)
        assert 'type="text"' in tag and 'inputmode="numeric"' in tag, (url, tag)


@pytest.mark.parametrize(("typed", "shown"), [("8,000,000", "8,000,000円"), ("８０００００", "800,000円")])
def test_what_if_budget_takes_commas_and_full_width_digits(committee_round, client_for, typed, shown):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    response = client.get(f"/staff/decisions/{round_obj.code}/", {"budget": typed})
    assert response.status_code == 200
    assert f"仮の予算額 {shown} での試算です。" in response.content.decode()
    # The field shows what was typed back, not a number the browser would refuse.
    assert f'value="{typed}"' in yen_input(response.content.decode(), "budget")


@pytest.mark.parametrize(("typed", "saved"), [("5,000,000", 5_000_000), ("８０００００", 800_000)])
def test_override_takes_commas_and_full_width_digits(committee_round, client_for, typed, saved):
    round_obj, apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/applications/{apps['A'].pk}/override/"
    response = client.post(url, {"forced_outcome": "", "decided_yen": typed, "reason": "減額"})
    assert response.status_code == 302
    assert Override.objects.get(application=apps["A"]).decided_yen == saved


def test_override_of_8_000_000_is_read_as_8_million_and_refused_above_the_rule(committee_round, client_for):
    round_obj, apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/applications/{apps['A'].pk}/override/"
    response = client.post(url, {"forced_outcome": "", "decided_yen": "8,000,000", "reason": "増額"})
    assert response.status_code == 400
    assert "算定額（6,000,000円）以下" in response.content.decode()
    assert not Override.objects.filter(application=apps["A"]).exists()


def test_budget_page_takes_commas_and_full_width_digits(committee_round, client_for):
    round_obj, _apps = committee_round
    client = client_for(Role.SECRETARIAT)
    url = f"/staff/decisions/{round_obj.code}/budget/"
    assert client.post(url, {"budget_yen": "8,000,000"}).status_code == 302
    round_obj.refresh_from_db()
    assert round_obj.budget_yen == 8_000_000
    assert client.post(url, {"budget_yen": "１２，０００，０００"}).status_code == 302
    round_obj.refresh_from_db()
    assert round_obj.budget_yen == 12_000_000
