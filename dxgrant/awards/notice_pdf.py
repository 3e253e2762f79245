"""The notice as a document: the PDF of an award or rejection notice from its template (in the
site's design, IPAex font: core/pdf.py), with a QR code to its public verification page, signed
with the operator's certificate (signing.py).

Notices are Japanese documents: they are printed in Japanese whatever language the staff member
who issued them reads the site in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from django.urls import reverse
from django.utils import translation

from dxgrant.core import notify
from dxgrant.core.pdf import render_pdf
from dxgrant.decisions.models import Decision
from dxgrant.decisions.selectors import PublishedResult
from dxgrant.japan import wareki
from dxgrant.programs.models import Round

from . import signing
from .models import NoticeKind


@dataclass(frozen=True)
class Printed:
    """What a notice prints, fixed when it is issued."""

    number: str
    kind: str
    issued_on: dt.date
    company_name: str
    corporate_number: str
    amount_yen: int


def verification_url(number: str) -> str:
    """The absolute address of the notice's public verification page (from DXGRANT_SITE_URL)."""
    return notify.site_url(reverse("notices:verify", args=[number]))


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=2))


def failed_criteria(decision: Decision, round_obj: Round) -> list[str]:
    """The names of the criteria whose mean was at the floor (a disqualification's rule)."""
    codes = [c for c in decision.sheet.get("disqualified_because", []) if c != "pass_score"]
    names = {c.code: c.name_ja for c in round_obj.rules.rubric}
    return [names.get(code, code) for code in codes]


def render_notice(printed: Printed, decision: Decision, round_obj: Round) -> bytes:
    """The unsigned PDF."""
    url = verification_url(printed.number)
    result = PublishedResult(decision, round_obj.code, round_obj.rules.review.criterion_floor)
    with translation.override("ja"):
        return render_pdf(
            "awards/notice_pdf.html",
            {
                "notice": printed,
                "award": printed.kind == NoticeKind.AWARD,
                "decision": decision,
                "round": round_obj,
                "result": result,
                "failed_criteria": failed_criteria(decision, round_obj),
                "conditions": round_obj.rules.awards.conditions,
                "issued_wareki": wareki.format_date(printed.issued_on),
                "verify_url": url,
                "qr": qr_data_uri(url),
            },
        )


def signed_notice(printed: Printed, decision: Decision, round_obj: Round) -> bytes:
    """The PDF as issued: rendered, then signed (PAdES)."""
    title = "交付決定通知書" if printed.kind == NoticeKind.AWARD else "不採択通知書"
    return signing.sign_pdf(render_notice(printed, decision, round_obj), reason=f"{title} {printed.number}")
