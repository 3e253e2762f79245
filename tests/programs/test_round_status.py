import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dxgrant.programs.models import Round

TOKYO = ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (dt.datetime(2025, 10, 31, 23, 59, 59, tzinfo=TOKYO), "before"),
        (dt.datetime(2025, 11, 1, 0, 0, 0, tzinfo=TOKYO), "open"),
        (dt.datetime(2026, 4, 30, 23, 59, 59, tzinfo=TOKYO), "open"),
        (dt.datetime(2026, 5, 1, 0, 0, 0, tzinfo=TOKYO), "closed"),
        # 2026-04-30 16:00 UTC is already 1 May in Tokyo: the server's UTC date must not decide.
        (dt.datetime(2026, 4, 30, 16, 0, 0, tzinfo=dt.UTC), "closed"),
        (dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=TOKYO), "closed"),
    ],
)
def test_application_status_follows_the_tokyo_clock(programme, moment, status):
    round1 = Round.objects.get(code="dx-2025-r1")
    with time_machine.travel(moment, tick=False):
        assert round1.application_status() == status
