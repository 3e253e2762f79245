"""The committee's exports for the secretariat: every submitted score, and every decision (or,
before the decision, the ranking as it stands), as CSV with a BOM for Excel and as xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from dxgrant.exports import writers
from dxgrant.programs.models import Round
from dxgrant.review import lifecycle as review_lifecycle
from dxgrant.review.models import Score

from . import selectors


def score_rows(round_obj: Round) -> tuple[list[str], Iterable[Sequence[Any]]]:
    codes = [c.code for c in round_obj.rules.rubric]
    header = [_("受付番号"), _("申請ID"), _("審査員"), _("提出日時"), *codes, _("総評")]
    rows = (
        Score.objects.filter(
            assignment__application__round=round_obj,
            assignment__status=review_lifecycle.SUBMITTED,
            submitted_at__isnull=False,
        )
        .order_by("assignment__application_id", "assignment__reviewer_id")
        .values_list(
            "assignment__application__receipt_number",
            "assignment__application_id",
            "assignment__reviewer__email",
            "submitted_at",
            "scores",
            "overall_comment",
        )
    )
    return header, (
        [
            receipt or "",
            app,
            email,
            submitted.isoformat() if submitted else "",
            *[scores.get(c, "") for c in codes],
            comment,
        ]
        for receipt, app, email, submitted, scores, comment in rows.iterator(chunk_size=2000)
    )


def decision_rows(round_obj: Round) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("順位"), _("受付番号"), _("申請ID"), _("会社名"), _("評点"), _("対象経費（税抜）"),
        _("助成率"), _("算定額"), _("交付決定額"), _("結果"), _("変更の理由"),
    ]  # fmt: skip
    decision = round_obj.decision if hasattr(round_obj, "decision") else None
    if decision is not None:
        rows = [
            [
                d.rank,
                d.application.receipt_number or "",
                d.application_id,
                d.application.company_name,
                f"{d.score:.2f}",
                d.eligible_cost_yen,
                d.rate,
                d.proposed_yen,
                d.amount_yen,
                d.outcome,
                d.override_reason,
            ]  # fmt: skip
            for d in decision.entries.select_related("application").order_by("rank")
        ]
        return header, rows
    committee = selectors.Committee(round_obj)
    return header, [
        [
            r.ranked.rank,
            r.receipt_number,
            r.application_id,
            r.company_name,
            f"{r.aggregate.score:.2f}",
            r.sheet.rule.eligible_cost_yen,
            r.sheet.rate,
            r.sheet.proposed_yen,
            r.ranked.amount_yen,
            r.ranked.outcome,
            r.override.reason if r.override else "",
        ]  # fmt: skip
        for r in committee.rows
        if r.ranked is not None
    ]


def as_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM, CRLF line ends: Excel opens it with the Japanese intact. Written by the
    list exports' writer, so text Excel would run as a formula (= + - @) gets its apostrophe."""
    return b"".join(writers.csv_chunks(header, rows))


def as_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Text cells are written as text (never evaluated as a formula), by the exports' writer."""
    buffer = io.BytesIO()
    writers.write_xlsx(buffer, title, header, rows)
    return buffer.getvalue()
