"""The rules of a plan change (計画変更), with no database.

A change may move money between the plan's existing budget lines (a line may go to zero; no new
line may be added: a new purchase is a new application, not a change of plan) and re-plan the
milestones inside the programme period. Three rules hold the money:

- the total eligible cost may not grow;
- the sum of the increases may not exceed `max_shift_percent` % of the plan's eligible total
  (rounded down to the yen);
- the decided award amount never changes (it is not part of a plan; the final amount is fixed
  by the results report).

Each violation is a message naming the line, for the field of that line (`line-<i>`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_MILESTONES = 12


@dataclass(frozen=True)
class Problem:
    field: str  # "line-<i>", "milestone-<i>-title", "milestone-<i>-due", "reasons" or "__all__"
    message: str


def shift_limit_yen(eligible_total_yen: int, max_shift_percent: int) -> int:
    """The most money that may move into lines (the sum of the increases), rounded down."""
    return eligible_total_yen * max_shift_percent // 100


def increases_yen(old: Sequence[int], new: Sequence[int]) -> int:
    return sum(max(0, b - a) for a, b in zip(old, new, strict=True))


def budget_problems(
    old: Sequence[int], new: Sequence[int], labels: Sequence[str], *, max_shift_percent: int
) -> list[Problem]:
    """What is wrong with moving the lines' eligible amounts from `old` to `new` (same order)."""
    if len(old) != len(new) or len(labels) != len(old):
        return [Problem("__all__", _("経費の明細の数が計画と一致しません。画面を読み込み直してください。"))]
    problems = [
        Problem(f"line-{i}", _("「%(line)s」の金額は0円以上で入力してください。") % {"line": label})
        for i, (amount, label) in enumerate(zip(new, labels, strict=True))
        if amount < 0
    ]
    if problems:
        return problems
    old_total, new_total = sum(old), sum(new)
    if new_total > old_total:
        grown = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if b > a]
        for i in grown:
            problems.append(
                Problem(
                    f"line-{i}",
                    _(
                        "「%(line)s」を増やすと対象経費の合計が%(total)s円になり、計画の%(old)s円を超えます。"
                        "他の明細を減らすか、増額を減らしてください。"
                    )
                    % {"line": labels[i], "total": f"{new_total:,}", "old": f"{old_total:,}"},
                )
            )
        return problems
    limit = shift_limit_yen(old_total, max_shift_percent)
    moved = increases_yen(old, new)
    if moved > limit:
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if b > a:
                problems.append(
                    Problem(
                        f"line-{i}",
                        _(
                            "「%(line)s」の増額（%(up)s円）を含め、増額の合計%(moved)s円が上限%(limit)s円"
                            "（対象経費の合計の%(percent)s%%）を超えています。"
                        )
                        % {
                            "line": labels[i],
                            "up": f"{b - a:,}",
                            "moved": f"{moved:,}",
                            "limit": f"{limit:,}",
                            "percent": max_shift_percent,
                        },
                    )
                )
    return problems


def as_date(value: Any) -> dt.date | None:
    """A milestone's due date: a date, or its ISO text as a plan stores it; None otherwise."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def milestone_problems(
    milestones: Sequence[Mapping[str, Any]], *, starts: dt.date, ends: dt.date
) -> list[Problem]:
    """At least one milestone; each needs a title and a due date (a date) inside the programme period."""
    problems: list[Problem] = []
    if not milestones:
        problems.append(Problem("milestone-0-title", _("節目を1件以上入力してください。")))
    if len(milestones) > MAX_MILESTONES:
        problems.append(Problem("__all__", _("節目は%(n)s件までです。") % {"n": MAX_MILESTONES}))
    for i, milestone in enumerate(milestones):
        title = str(milestone.get("title") or "").strip()
        due = as_date(milestone.get("due"))
        if not title:
            problems.append(Problem(f"milestone-{i}-title", _("節目の内容を入力してください。")))
        if due is None:
            problems.append(
                Problem(f"milestone-{i}-due", _("時期を日付で入力してください（例：2026-03-31）。"))
            )
        elif not starts <= due <= ends:
            problems.append(
                Problem(
                    f"milestone-{i}-due",
                    _("「%(title)s」の時期は対象期間（%(starts)s〜%(ends)s）の中の日付にしてください。")
                    % {"title": title, "starts": starts.isoformat(), "ends": ends.isoformat()},
                )
            )
    return problems


def last_request_day(period_ends: dt.date, closes_days_before_end: int) -> dt.date:
    """The last day a plan change can be requested."""
    return period_ends - dt.timedelta(days=closes_days_before_end)


def with_amounts(lines: Sequence[Mapping[str, Any]], amounts: Sequence[int]) -> list[dict[str, Any]]:
    """The plan's budget lines with new eligible amounts (税抜). The amount with tax follows at
    the line's tax rate (rounded down); quantity and unit price are the plan's as quoted."""
    changed = []
    for line, amount in zip(lines, amounts, strict=True):
        row = dict(line)
        if int(line.get("eligible_amount_yen") or 0) != amount:
            rate = int(line.get("tax_rate_percent") or 0)
            row["eligible_amount_yen"] = amount
            row["amount_yen"] = amount * (100 + rate) // 100
        changed.append(row)
    return changed


def milestones_in_order(milestones: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Milestones as a plan stores them: {"title", "due": "YYYY-MM-DD"}, in date order."""
    rows = [
        {
            "title": str(m["title"]).strip(),
            "due": m["due"].isoformat() if isinstance(m["due"], dt.date) else m["due"],
        }
        for m in milestones
    ]
    return sorted(rows, key=lambda m: m["due"])
