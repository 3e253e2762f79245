from __future__ import annotations

import pytest

from dxgrant.accounts.models import Role
from tests.factories import UserFactory
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for, representative_of


@pytest.fixture
def round_open(programme):  # type: ignore[no-untyped-def]
    return open_round(programme)


@pytest.fixture
def firm(programme):  # type: ignore[no-untyped-def]
    return certified_firm(programme, name="DX支援合同会社")


@pytest.fixture
def advisor(firm):  # type: ignore[no-untyped-def]
    return advisor_of(firm, display_name="佐藤 一郎")


@pytest.fixture
def engagement(firm, advisor, round_open):  # type: ignore[no-untyped-def]
    return engagement_for(
        firm,
        advisor,
        round_open,
        company_name="株式会社やまだ製作所",
        representative=UserFactory(role=Role.APPLICANT, display_name="山田 花子"),
    )


@pytest.fixture
def representative(engagement):  # type: ignore[no-untyped-def]
    return representative_of(engagement)


@pytest.fixture
def other_firm_advisor(programme):  # type: ignore[no-untyped-def]
    other = certified_firm(programme, name="ほかの支援株式会社")
    return advisor_of(other, display_name="他社 太郎")
