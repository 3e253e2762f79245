"""GET /api/v1/rounds/{code}/results: a round's published results (採択結果), for anyone, with
the amount rule and every entry's numbers so the amounts can be recomputed. 404 before
publication."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from dxgrant.decisions.selectors import published_decision, published_entries

from .problems import NOT_FOUND, problem

router = Router(tags=["results"])


class BandOut(Schema):
    min_score: str
    rate_numerator: int
    rate_denominator: int


class AmountRuleOut(Schema):
    cap_yen: int
    floor_yen: int
    rate_numerator: int
    rate_denominator: int
    rounding_unit_yen: int
    rounding: Literal["down", "nearest"]
    pass_score: int
    bands: list[BandOut]


class EntryOut(Schema):
    rank: int
    score: str
    eligible_cost_yen: int
    rate: str
    proposed_yen: int
    amount_yen: int
    outcome: Literal["awarded", "rejected", "disqualified"]
    override_reason: str
    company_name: str | None = None
    corporate_number: str | None = None
    prefecture: str | None = None
    receipt_number: str | None = None
    # The award notice's number (交付決定通知書), once issued; absent before.
    notice_number: str | None = None


class ResultsOut(Schema):
    round: str
    published_at: dt.datetime
    budget_yen: int
    awarded_total_yen: int
    amount_rule: AmountRuleOut
    entries: list[EntryOut]


class ResultsProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


@router.get(
    "/rounds/{code}/results",
    response={200: ResultsOut, 404: ResultsProblemOut},
    summary="A round's published results (rank, score, amounts, outcome; names of awarded companies)",
    exclude_none=True,
)
def results(request: HttpRequest, code: str) -> Any:
    try:
        decision = published_decision(code)
    except Http404:
        return problem(
            request, status=404, title=NOT_FOUND, detail=_("この公募回の審査結果は公表されていません。")
        )
    rule = dict(decision.amount_rule)
    rule["bands"] = [{**band, "min_score": str(band["min_score"])} for band in rule.get("bands", [])]
    return {
        "round": decision.round.code,
        "published_at": decision.published_at,
        "budget_yen": decision.budget_yen,
        "awarded_total_yen": decision.awarded_total_yen,
        "amount_rule": rule,
        "entries": published_entries(decision),
    }
