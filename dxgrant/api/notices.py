"""GET /api/v1/notices/{notice_number}: a notice's public facts (status, kind, amount, date; the
company's name for award notices only), and POST /api/v1/notices/verify: whether a PDF (the raw
body, Content-Type: application/pdf) is exactly a notice that was issued. The body's type and size
are checked by middleware.py before anything reads it. Both count against the notice look-up
limit per client address (awards/limits.py, shared with the verification page) as well as the
API's general rate: beyond it, 429 with Retry-After."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from dxgrant.awards import limits
from dxgrant.awards.selectors import public_company_name, public_notice, verify_pdf

from .problems import NOT_FOUND, language_of, problem

router = Router(tags=["notices"])


class NoticeOut(Schema):
    notice_number: str
    status: Literal["valid", "cancelled"]
    kind: Literal["award", "rejection"]
    amount_yen: int
    issued_on: dt.date
    company_name: str | None


def _too_many(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        status=429,
        title=_("リクエストが多すぎます"),
        detail=_(
            "通知書の確認は1分あたり%(limit)s回までです。Retry-After の秒数だけ待ってから送ってください。"
        ),
        params={"limit": limits.per_minute()},
        kind="rate-limited",
        headers={"Retry-After": str(limits.retry_after())},
    )


class VerifyOut(Schema):
    valid: bool
    notice_number: str | None
    status: Literal["valid", "cancelled"] | None
    reason: str


class NoticeProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


# Before the number's route: Django takes the first pattern that matches /notices/verify.
@router.post(
    "/notices/verify",
    response={200: VerifyOut, 400: NoticeProblemOut, 413: NoticeProblemOut, 429: NoticeProblemOut},
    summary="Is this PDF (the request body, Content-Type: application/pdf) exactly an issued notice?",
)
def verify(request: HttpRequest) -> Any:
    if not limits.allow_lookup(request):
        return _too_many(request)
    limit = int(settings.DXGRANT_NOTICE_VERIFY_MAX_BYTES)
    data = request.read(limit + 1)
    if len(data) > limit:
        return problem(
            request,
            status=413,
            title=_("リクエストの本文が大きすぎます"),
            detail=_("本文は%(limit)sバイト以内で送ってください。"),
            params={"limit": f"{limit:,}"},
            kind="payload-too-large",
        )
    if not data:
        return problem(
            request,
            status=400,
            title=_("本文が空です"),
            detail=_("確かめる通知書のPDFを本文にして送ってください（Content-Type: application/pdf）。"),
            kind="empty-body",
        )
    with translation.override(language_of(request)):
        result = verify_pdf(data)
        reason = str(result.reason)
    found = result.notice
    return {
        "valid": result.valid,
        "notice_number": found.number if found else None,
        "status": found.status if found else None,
        "reason": reason,
    }


@router.get(
    "/notices/{notice_number}",
    response={200: NoticeOut, 404: NoticeProblemOut, 429: NoticeProblemOut},
    summary="A grant notice's public facts, by its number (as printed, with a QR code, on the notice)",
)
def notice(request: HttpRequest, notice_number: str) -> Any:
    if not limits.allow_lookup(request):
        return _too_many(request)
    try:
        found = public_notice(notice_number)
    except Http404:
        return problem(request, status=404, title=NOT_FOUND, detail=_("この番号の通知書は見つかりません。"))
    return {
        "notice_number": found.number,
        "status": found.status,
        "kind": found.kind,
        "amount_yen": found.amount_yen,
        "issued_on": found.issued_on,
        "company_name": public_company_name(found),
    }
