"""Reads of the review, filtered by what the person may see."""

from __future__ import annotations

from collections import defaultdict

from dxgrant.programs.models import Round

from . import lifecycle
from .models import Score

# {application id: [(reviewer id, {criterion code: score}), ...]}
SubmittedScores = dict[int, list[tuple[int, dict[str, int]]]]


def submitted_scores(round_obj: Round) -> SubmittedScores:
    """Every submitted (locked) score of the round, by application, reviewers in id order.

    Drafts, reopened scores and the scores of reviewers who left the application (conflict,
    removed) are not included. One query, whatever the size of the round."""
    rows = (
        Score.objects.filter(
            assignment__application__round=round_obj,
            assignment__status=lifecycle.SUBMITTED,
            submitted_at__isnull=False,
        )
        .order_by("assignment__application_id", "assignment__reviewer_id")
        .values_list("assignment__application_id", "assignment__reviewer_id", "scores")
    )
    result: SubmittedScores = defaultdict(list)
    for application_id, reviewer_id, scores in rows:
        result[application_id].append((reviewer_id, {code: int(value) for code, value in scores.items()}))
    return dict(result)
