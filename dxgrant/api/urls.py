"""The public JSON API, version 1. The OpenAPI schema is served at /api/v1/openapi.json."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, Throttled, ValidationError
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr

from dxgrant.advisors.selectors import get_public_firm
from dxgrant.japan import postal
from dxgrant.programs.eligibility import InvalidFacts, evaluate, validate_facts
from dxgrant.programs.models import Round
from dxgrant.programs.selectors import get_programme, get_round, public_rounds

from . import notices, results
from .limits import PerClientRate
from .problems import INVALID_BODY, INVALID_BODY_DETAIL, NOT_FOUND, language_of, problem
from .validation import fact_errors, field_errors

api = NinjaAPI(
    title="dxgrant API",
    version="1",
    description="中小企業向け助成制度の公開API（制度・公募回・申請要件セルフチェック）。",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api-v1",
    throttle=[PerClientRate()],
)
api.add_router("", results.router)
api.add_router("", notices.router)


class RoundOut(Schema):
    code: str
    name: str
    application_opens: dt.date
    application_closes: dt.date
    programme_period_starts: dt.date
    programme_period_ends: dt.date
    max_award_yen: int
    status: Literal["before", "open", "closed"]


class ProgrammeOut(Schema):
    code: str
    name: str
    max_award_yen: int
    rounds: list[RoundOut]


class EligibilityCheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entity_type: StrictStr = Field(description="corporation | sole_proprietor")
    employees: StrictInt = Field(ge=0)
    capital_yen: StrictInt | None = Field(
        default=None, ge=0, description="Required for corporations; leave it out for a sole proprietor."
    )
    antisocial_ties: StrictBool
    legal_compliance: StrictBool


class ReasonOut(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    eligible: bool
    reasons: list[ReasonOut]


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


@api.exception_handler(ValidationError)
def _validation_problem(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    with translation.override(language_of(request)):
        errors = field_errors(exc.errors)
    return problem(
        request, status=422, title=INVALID_BODY, detail=INVALID_BODY_DETAIL, kind="validation", errors=errors
    )


@api.exception_handler(Http404)
def _not_found_problem(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, status=404, title=NOT_FOUND, detail=_("指定したものは見つかりません。"))


@api.exception_handler(Throttled)
def _throttled_problem(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds Retry-After (the seconds until the next minute) to this response.
    return problem(
        request,
        status=429,
        title=_("リクエストが多すぎます"),
        detail=_("1分あたり%(limit)s回までです。Retry-After の秒数だけ待ってから送ってください。"),
        params={"limit": settings.DXGRANT_API_RATE_PER_MINUTE},
        kind="rate-limited",
    )


@api.exception_handler(HttpError)
def _http_problem(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's "Cannot parse request body": the body is not JSON.
        return problem(
            request,
            status=400,
            title=_("本文をJSONとして読めません"),
            detail=_("本文が正しいJSONになっているか確かめてから、もう一度送ってください。"),
            kind="malformed-json",
        )
    return problem(request, status=exc.status_code, title=str(exc))


def _round_out(round_obj: Round, today: dt.date) -> dict[str, Any]:
    return {
        "code": round_obj.code,
        "name": round_obj.name_ja,
        "application_opens": round_obj.application_opens,
        "application_closes": round_obj.application_closes,
        "programme_period_starts": round_obj.programme_period_starts,
        "programme_period_ends": round_obj.programme_period_ends,
        "max_award_yen": round_obj.max_award_yen,
        "status": round_obj.application_status(today).value,
    }


@api.get("/programme", response=ProgrammeOut, summary="The programme and its rounds")
def programme(request: HttpRequest) -> dict[str, Any]:
    prog = get_programme(request)
    today = timezone.localdate()
    return {
        "code": prog.code,
        "name": prog.name_ja,
        "max_award_yen": prog.max_award_yen,
        "rounds": [_round_out(r, today) for r in public_rounds(prog)],
    }


@api.post(
    "/rounds/{code}/eligibility-check",
    response={200: EligibilityOut, 404: ProblemOut, 422: ProblemOut},
    summary="Check eligibility against a round's rules",
)
def eligibility_check(request: HttpRequest, code: str, payload: EligibilityCheckIn) -> Any:
    rules = get_round(code).rules.eligibility
    language = language_of(request)
    try:
        facts = validate_facts(rules, payload.model_dump(), language)
    except InvalidFacts as exc:
        with translation.override(language):
            errors = fact_errors(exc.errors, rules)
        return problem(
            request,
            status=422,
            title=INVALID_BODY,
            detail=INVALID_BODY_DETAIL,
            kind="validation",
            errors=errors,
        )
    result = evaluate(rules, facts, language)
    return {
        "eligible": result.eligible,
        "reasons": [{"code": r.code, "message": r.message} for r in result.reasons],
    }


class AddressOut(Schema):
    postal_code: str
    prefecture: str
    city: str
    town: str
    prefecture_kana: str
    city_kana: str
    town_kana: str
    other_towns: list[str]


@api.get(
    "/postal-codes/{code}",
    response={200: AddressOut, 404: ProblemOut, 422: ProblemOut},
    summary="Address for a Japanese postal code (used by forms to fill in the address)",
)
def postal_code(request: HttpRequest, code: str) -> Any:
    try:
        address = postal.lookup(code)
    except ValueError:
        return problem(
            request,
            status=422,
            title=_("郵便番号の形式が違います"),
            detail=_("郵便番号は7桁の数字で入力してください（例: 100-0001）。"),
            kind="validation",
            errors=[
                {"field": "code", "message": _("7桁の数字で送ってください（例: 1000001 または 100-0001）。")}
            ],
        )
    if address is None:
        return problem(
            request,
            status=404,
            title=NOT_FOUND,
            detail=_("この郵便番号に当たる住所はありません。番号を確かめてください。"),
        )
    return {
        "postal_code": address.postal_code,
        "prefecture": address.prefecture,
        "city": address.city,
        "town": address.town,
        "prefecture_kana": address.prefecture_kana,
        "city_kana": address.city_kana,
        "town_kana": address.town_kana,
        "other_towns": list(address.other_towns),
    }


# --- Advisor firms (the public register) -------------------------------------------------------


class AdvisorOut(Schema):
    certification_number: str
    firm_name: str
    status: Literal["active", "suspended", "revoked", "expired"]
    valid_until: dt.date


@api.get(
    "/advisors/{certification_number}",
    response={200: AdvisorOut, 404: ProblemOut},
    summary="Verify a certified advisor firm by its certification number",
)
def advisor(request: HttpRequest, certification_number: str) -> Any:
    try:
        firm = get_public_firm(certification_number)
    except Http404:
        return problem(
            request, status=404, title=NOT_FOUND, detail=_("この認定番号の認定事業者は見つかりません。")
        )
    status = firm.public_status()
    assert status is not None  # get_public_firm returns certified firms only
    return {
        "certification_number": firm.certification_number,
        "firm_name": firm.name,
        "status": status.value,
        "valid_until": firm.valid_until,
    }
