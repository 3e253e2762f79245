"""Rounds (公募回), made one way: by the demo app's builder, so a test's round carries the
programme's rules, texts and declaration texts exactly as the demo round does."""

from __future__ import annotations

import datetime as dt

from dxgrant.demo import builders
from dxgrant.programs.models import Programme, Round

OPEN_ROUND = "dx-test-open"

# (days since the window opened, days until it closes, names) for each state a test asks for.
_WINDOWS = {
    "open": (30, 60, "テスト公募回（受付中）", "Test round (open)"),
    "closed": (90, -1, "テスト公募回（受付終了）", "Test round (closed)"),
    "upcoming": (-7, 60, "テスト公募回（受付開始前）", "Test round (not yet open)"),
}


def open_round(
    programme: Programme,
    code: str = OPEN_ROUND,
    *,
    closed: bool = False,
    upcoming: bool = False,
    today: dt.date | None = None,
) -> Round:
    """A round of the programme whose application window contains today (`closed`: it closed
    yesterday; `upcoming`: it opens in a week). The programme period runs from the window's
    opening to a year after its closing. The same code gives the same round, as it is now."""
    existing = Round.objects.filter(code=code).first()
    if existing is not None:
        return existing
    assert not (closed and upcoming), "a round is closed or not yet open, not both"
    state = "closed" if closed else "upcoming" if upcoming else "open"
    opened_days_ago, closes_in_days, name_ja, name_en = _WINDOWS[state]
    return builders.open_round(
        programme,
        code=code,
        name_ja=name_ja,
        name_en=name_en,
        today=today,
        opened_days_ago=opened_days_ago,
        closes_in_days=closes_in_days,
    )
