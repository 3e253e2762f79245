"""A published round for the notices' tests: four reviewed applications (A 6,000,000円 and C
3,000,000円 awarded; B passed over for the budget; D disqualified by a criterion at the floor),
decided and published by the secretariat through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.applications.models import Application
from dxgrant.decisions.services import deciding, meetings, publishing
from dxgrant.programs.models import Programme, Round
from tests.decisions.builders import all_at, reviewed, reviewers
from tests.factories import UserFactory
from tests.factories.rounds import open_round


def published_round(programme: Programme, secretariat: User) -> tuple[Round, dict[str, Application]]:
    round_obj = open_round(programme)
    round_obj.budget_yen = 10_000_000
    round_obj.save(update_fields=["budget_yen"])
    people = reviewers(3)
    high = all_at(round_obj, 5) | {"scale": 4, "regional": 4} | {"feasibility": 5}
    specs = {
        "A": (
            9_000_000,
            [all_at(round_obj, 5), high, all_at(round_obj, 4) | {"feasibility": 5, "effect": 5}],
        ),
        "B": (7_500_000, [all_at(round_obj, 4)] * 3),
        "C": (4_500_000, [all_at(round_obj, 3) | {"feasibility": 5}] * 3),
        "D": (4_500_000, [all_at(round_obj, 5) | {"scale": 1}] * 3),
    }
    apps = {
        name: reviewed(
            programme,
            round_obj,
            eligible_yen=eligible,
            scores=scores,
            people=people,
            secretariat=secretariat,
            company_name=f"株式会社{name}",
        )
        for name, (eligible, scores) in specs.items()
    }
    meetings.record_meeting(
        actor=secretariat,
        round_obj=round_obj,
        held_on=timezone.localdate(),
        members="委員A、委員B",
        minutes="審議した。",
    )
    deciding.decide_round(actor=secretariat, round_obj=round_obj)
    publishing.publish_round(actor=secretariat, round_obj=round_obj)
    for application in apps.values():
        application.refresh_from_db()
    return round_obj, apps


@pytest.fixture
def secretariat(db: None) -> User:
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def published(programme: Programme, secretariat: User) -> tuple[Round, dict[str, Application]]:
    return published_round(programme, secretariat)
