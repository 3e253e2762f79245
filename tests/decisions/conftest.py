from __future__ import annotations

import pytest

from dxgrant.accounts.models import Role
from tests.factories.rounds import open_round

from .builders import all_at, reviewed, reviewers


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def committee_round(programme, secretariat):
    """A round with a budget of 10,000,000円 and four reviewed applications:
    A 95 points, 6,000,000円; D 92 points, disqualified (a criterion at the floor); B 80 points,
    5,000,000円 (passed over for the budget); C 70 points, 3,000,000円 (fits after B is passed over)."""
    round_obj = open_round(programme)
    round_obj.budget_yen = 10_000_000
    round_obj.save(update_fields=["budget_yen"])
    people = reviewers(3)
    high = all_at(round_obj, 5) | {"scale": 4, "regional": 4} | {"feasibility": 5}
    apps = {
        "A": reviewed(
            programme,
            round_obj,
            eligible_yen=9_000_000,
            scores=[all_at(round_obj, 5), high, all_at(round_obj, 4) | {"feasibility": 5, "effect": 5}],
            people=people,
            secretariat=secretariat,
            company_name="株式会社A",
        ),
        "B": reviewed(
            programme,
            round_obj,
            eligible_yen=7_500_000,
            scores=[all_at(round_obj, 4)] * 3,
            people=people,
            secretariat=secretariat,
            company_name="株式会社B",
        ),
        "C": reviewed(
            programme,
            round_obj,
            eligible_yen=4_500_000,
            scores=[all_at(round_obj, 3) | {"feasibility": 5}] * 3,
            people=people,
            secretariat=secretariat,
            company_name="株式会社C",
        ),
        "D": reviewed(
            programme,
            round_obj,
            eligible_yen=4_500_000,
            scores=[all_at(round_obj, 5) | {"scale": 1}] * 3,
            people=people,
            secretariat=secretariat,
            company_name="株式会社D",
        ),
    }
    return round_obj, apps
