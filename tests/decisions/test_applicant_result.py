"""The applicant and the advisor read the result on the application's page: nothing before
publication (not when the round is decided either); after it, the outcome, the decided amount
of an award, and for a rejection the reason in words (passed over for the budget, below the
pass score, a criterion at the floor, or the committee's reason), with a link to the results."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.decisions.services import deciding, meetings, overrides, publishing
from tests.factories.accounts import signed_in
from tests.factories.support import representative_of

from .builders import all_at, reviewed, reviewers

pytestmark = pytest.mark.django_db

COMMITTEE_REASON = "申請後に事業計画の前提となる設備の導入が済んでおり、補助の対象とならないため。"


@pytest.fixture
def five(committee_round, programme, secretariat):
    """The committee round (A awarded, D disqualified, B passed over for the budget, C awarded
    by the rule) with E below the pass score (40 points), and C rejected by the committee."""
    round_obj, apps = committee_round
    apps["E"] = reviewed(
        programme,
        round_obj,
        eligible_yen=3_000_000,
        scores=[all_at(round_obj, 2)] * 3,
        people=reviewers(3),
        secretariat=secretariat,
        company_name="株式会社E",
    )
    overrides.record_override(
        actor=secretariat,
        application=apps["C"],
        forced_outcome="rejected",
        decided_yen=None,
        reason=COMMITTEE_REASON,
    )
    return round_obj, apps


def page_of(application, user):
    client = signed_in(user)
    response = client.get(f"/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def decide(round_obj, secretariat):
    meetings.record_meeting(
        actor=secretariat, round_obj=round_obj, held_on=timezone.localdate(), members="委員A", minutes="審議"
    )
    deciding.decide_round(actor=secretariat, round_obj=round_obj)


def test_nothing_shows_before_publication_not_even_when_decided(five, secretariat):
    round_obj, apps = five
    applicant = representative_of(apps["A"].engagement)
    assert 'id="result"' not in page_of(apps["A"], applicant)
    decide(round_obj, secretariat)
    for key in "ABCDE":
        application = apps[key]
        for person in (representative_of(application.engagement), application.engagement.lead_advisor):
            body = page_of(application, person)
            assert 'id="result"' not in body
            assert "審査の結果" not in body and "交付決定額" not in body


def test_after_publication_each_reads_the_outcome_and_why(five, secretariat):
    round_obj, apps = five
    decide(round_obj, secretariat)
    publishing.publish_round(actor=secretariat, round_obj=round_obj)
    results_link = f'href="/rounds/{round_obj.code}/results/"'
    expected = {
        "A": ["審査の結果: 採択", "交付決定額", "6,000,000円", "交付決定通知書は、あらためてお送りします。"],
        "B": ["審査の結果: 不採択", "予算額に収まらなかったため"],
        "C": ["審査の結果: 不採択", "審査会の判断により不採択となりました", COMMITTEE_REASON],
        "D": ["審査の結果: 不採択", "基準点（1.5点）以下だったため"],
        "E": ["審査の結果: 不採択", "評点（40.00点）が合格点（60点）に届かなかったため"],
    }
    others = ["予算額に収まらなかった", "審査会の判断", "基準点（", "合格点（"]
    for key, texts in expected.items():
        application = apps[key]
        for person in (representative_of(application.engagement), application.engagement.lead_advisor):
            body = page_of(application, person)
            for text in [*texts, results_link]:
                assert text in body, (key, text)
            # Each rejection gives its own reason only; an award names none.
            assert sum(other in body for other in others) == (0 if key == "A" else 1), key
    assert "交付決定額" not in page_of(apps["B"], representative_of(apps["B"].engagement))


def test_the_result_costs_one_query_and_none_before(five, secretariat):
    round_obj, apps = five
    client = signed_in(representative_of(apps["B"].engagement))
    url = f"/applications/{apps['B'].pk}/"
    client.get(url)
    decide(round_obj, secretariat)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    assert not [q for q in before.captured_queries if "decisions_decision" in q["sql"]]
    publishing.publish_round(actor=secretariat, round_obj=round_obj)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len([q for q in after.captured_queries if "decisions_decision" in q["sql"]]) == 1
