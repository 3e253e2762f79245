"""The committee's pages (/staff/decisions/), the public results page and its API.

The secretariat runs the committee (ranking, budget, meeting, overrides, decision, publication,
exports); auditors read the aggregation; every other role gets 403; anonymous visitors are sent
to sign in. The results are public once published.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.decisions.models import Decision, Meeting, RoundDecision
from dxgrant.programs.models import Programme
from dxgrant.programs.review_schema import ReviewRules
from tests.decisions.builders import all_at, reviewed, reviewers
from tests.factories import UserFactory
from tests.factories.rounds import open_round

from .base import ANON, PUBLIC, STAFF_READ, Page

NAMESPACES = {"decisions", "results"}
SEEN = "session; user"
ROUND = "round"
HEADER = "programme (header)"
RANKING = (
    "in-review applications with the latest version's eligible cost (a subquery); submitted scores; overrides"
)
AUDIT = 3 if connection.vendor == "postgresql" else 2

PAGES: dict[str, Page] = {
    "decisions:rounds": Page(
        "/staff/decisions/", 4, Role.SECRETARIAT, why=f"{SEEN}; rounds with their decision; {HEADER}"
    ),
    "decisions:committee": Page(
        "/staff/decisions/{committee_round}/",
        9,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; {RANKING}; meetings; the round's decision; {HEADER}",
    ),
    # The same page once the round is decided (and here published): the Decision rows as
    # recorded, not the live ranking (not a URL name of its own: counted, not in the matrix).
    "decisions:committee (decided)": Page(
        "/staff/decisions/{published_round}/",
        7,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; the round's decision; meetings; entries with applications; {HEADER}",
    ),
    "decisions:budget": Page(
        "/staff/decisions/{committee_round}/budget/", 4, Role.SECRETARIAT, why=f"{SEEN}; {ROUND}; {HEADER}"
    ),
    "decisions:meeting": Page(
        "/staff/decisions/{committee_round}/meeting/", 4, Role.SECRETARIAT, why=f"{SEEN}; {ROUND}; {HEADER}"
    ),
    "decisions:decide": Page(
        "/staff/decisions/{committee_round}/decide/",
        6,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; {ROUND}; round locked; existing decision; latest meeting (none: refused)",
    ),
    "decisions:publish": Page(
        "/staff/decisions/{committee_round}/publish/",
        4,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; {ROUND}; the round's decision (none: refused)",
    ),
    "decisions:aggregation": Page(
        "/staff/decisions/{committee_round}/applications/{committee_application}/",
        8,
        Role.AUDITOR,
        why=f"{SEEN}; {ROUND}; the application with its eligible cost; its submitted scores with reviewers; "
        "override; decision; {HEADER}",
    ),
    # The same page where the round standardises: each reviewer's z needs the reviewer's other
    # applications, so the round's submitted scores are read too (not a URL name of its own).
    "decisions:aggregation (standardised)": Page(
        "/staff/decisions/{standardised_round}/applications/{standardised_application}/",
        9,
        Role.AUDITOR,
        why=f"{SEEN}; {ROUND}; the application with its eligible cost; its submitted scores with reviewers; "
        f"the round's submitted scores; override; decision; {HEADER}",
    ),
    "decisions:override": Page(
        "/staff/decisions/{committee_round}/applications/{committee_application}/override/",
        8,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; the application with its eligible cost; its submitted scores; override; decision; {HEADER}",
    ),
    "decisions:export": Page(
        "/staff/decisions/{committee_round}/export/decisions.csv",
        7,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; the round's decision; {RANKING}",
    ),
    "decisions:export (decided)": Page(
        "/staff/decisions/{published_round}/export/decisions.csv",
        5,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; the round's decision; entries with applications",
    ),
    "results:round": Page(
        "/rounds/{published_round}/results/",
        3,
        why="the published decision with its round; entries with applications; programme (header)",
    ),
    "api-v1:results": Page(
        "/api/v1/rounds/{published_round}/results",
        3,
        why="rate count; the published decision with its round; entries",
    ),
}

ACT_GET = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 200}
ACT_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "decisions:rounds": ACT_GET,
    "decisions:committee": ACT_GET,
    "decisions:budget": ACT_GET,
    "decisions:meeting": ACT_GET,
    "decisions:decide": ACT_POST,
    "decisions:publish": ACT_POST,
    "decisions:aggregation": STAFF_READ,
    "decisions:override": ACT_GET,
    "decisions:export": ACT_GET,
    "results:round": PUBLIC,
    "api-v1:results": PUBLIC,
}


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    secretariat = UserFactory(role=Role.SECRETARIAT)
    round_obj = open_round(programme)
    people = reviewers(3)
    application = reviewed(
        programme,
        round_obj,
        eligible_yen=9_000_000,
        scores=[all_at(round_obj, 4)] * 3,
        people=people,
        secretariat=secretariat,
    )
    standardised = open_round(programme, "dx-standardised-review")
    standardised.review_rules = ReviewRules(standardise=True).model_dump(mode="json")
    standardised.save(update_fields=["review_rules"])
    for level in (3, 4):
        scored = reviewed(
            programme,
            standardised,
            eligible_yen=9_000_000,
            scores=[all_at(standardised, level)] * 3,
            people=people,
            secretariat=secretariat,
        )
    published = open_round(programme, "dx-published-results", closed=True)
    winner = reviewed(
        programme,
        published,
        eligible_yen=6_000_000,
        scores=[all_at(published, 5)] * 3,
        people=people,
        secretariat=secretariat,
    )
    meeting = Meeting.objects.create(
        round=published, held_on=timezone.localdate(), members="委員", minutes="議事", recorded_by=secretariat
    )
    decision = RoundDecision.objects.create(
        round=published,
        meeting=meeting,
        budget_yen=published.budget_yen,
        awarded_total_yen=4_000_000,
        amount_rule=published.rules.amount_rule.model_dump(mode="json"),
        decided_by=secretariat,
        published_by=secretariat,
        published_at=timezone.now(),
    )
    Decision.objects.create(
        round_decision=decision, application=winner, rank=1, score=Decimal("100.00"), eligible_cost_yen=6_000_000,
        rate="2/3", proposed_yen=4_000_000, amount_yen=4_000_000, outcome="awarded", sheet={}, meeting=meeting,
    )  # fmt: skip
    return {
        "committee_round": round_obj.code,
        "committee_application": application.pk,
        "published_round": published.code,
        "standardised_round": standardised.code,
        "standardised_application": scored.pk,
    }
