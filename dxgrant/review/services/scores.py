"""A reviewer's scores of one application: drafts saved as they type (with a revision, so a
stale save from another tab is refused), the submission that checks everything and locks, and
the secretariat's reopening of a submitted score, with a reason."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.editing import expect_revision
from dxgrant.core.i18n import localised
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.programs.models import Round

from .. import lifecycle, policies, tasks
from ..models import Assignment, Score
from . import transitions

OVERALL = "overall_comment"


def score_field(code: str) -> str:
    return f"score_{code}"


def comment_field(code: str) -> str:
    return f"comment_{code}"


def _parse(round_obj: Round, scores: Mapping[str, object]) -> dict[str, int]:
    """The scores given, as integers on the round's scale; a value off the scale is refused
    beside its criterion. Criteria left empty are simply absent (a draft may have gaps)."""
    rules = round_obj.rules.review
    parsed: dict[str, int] = {}
    errors: dict[str, str] = {}
    for criterion in round_obj.rules.rubric:
        raw = scores.get(criterion.code)
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw))
        except ValueError:
            value = rules.scale_min - 1
        if not rules.scale_min <= value <= rules.scale_max:
            errors[score_field(criterion.code)] = _(
                "%(criterion)s: 評点は%(low)sから%(high)sの中から選んでください。"
            ) % {"criterion": localised(criterion, "name"), "low": rules.scale_min, "high": rules.scale_max}
            continue
        parsed[criterion.code] = value
    if errors:
        raise ValidationError(errors)
    return parsed


def _comments(round_obj: Round, comments: Mapping[str, str]) -> dict[str, str]:
    return {
        criterion.code: (comments.get(criterion.code) or "").strip()
        for criterion in round_obj.rules.rubric
        if (comments.get(criterion.code) or "").strip()
    }


def _locked_score(assignment: Assignment, actor: User) -> tuple[Assignment, Score]:
    assignment = transitions.locked(assignment.pk)
    policies.can_score(actor, assignment).require()
    score = Score.objects.select_for_update().get(assignment=assignment)
    return assignment, score


@transaction.atomic
def save_draft(
    *,
    actor: User,
    assignment: Assignment,
    revision: int,
    scores: Mapping[str, object],
    comments: Mapping[str, str],
    overall_comment: str,
) -> Score:
    """Save what the reviewer has entered so far (the autosave and the "save" button).

    Callers: the assignment's reviewer while scoring. Refused: anyone else, a submitted score
    (locked), a score off the scale (beside its criterion), a save from an older revision
    (EditConflict, nothing saved). Drafts are not audited: the submission is."""
    assignment, score = _locked_score(assignment, actor)
    expect_revision(score.revision, revision, current=score)
    score.scores = _parse(assignment.application.round, scores)
    score.comments = _comments(assignment.application.round, comments)
    score.overall_comment = overall_comment.strip()
    score.revision += 1
    score.save(update_fields=["scores", "comments", "overall_comment", "revision", "updated_at"])
    return score


@transaction.atomic
def submit(
    *,
    actor: User,
    assignment: Assignment,
    revision: int,
    scores: Mapping[str, object],
    comments: Mapping[str, str],
    overall_comment: str,
) -> Score:
    """Submit the scores: every criterion scored on the scale with a comment, and an overall
    comment; then the score is locked (only the secretariat reopens it).

    Callers: the assignment's reviewer while scoring. Refused: as `save_draft`, and any criterion
    without a score or a comment, or no overall comment (each message beside its field)."""
    assignment, score = _locked_score(assignment, actor)
    expect_revision(score.revision, revision, current=score)
    round_obj = assignment.application.round
    parsed = _parse(round_obj, scores)
    kept = _comments(round_obj, comments)
    errors: dict[str, str] = {}
    for criterion in round_obj.rules.rubric:
        name = localised(criterion, "name")
        if criterion.code not in parsed:
            errors[score_field(criterion.code)] = _("%(criterion)s: 評点を選んでください。") % {
                "criterion": name
            }
        if criterion.code not in kept:
            errors[comment_field(criterion.code)] = _(
                "%(criterion)s: 評点の根拠となるコメントを入力してください。"
            ) % {"criterion": name}
    if not overall_comment.strip():
        errors[OVERALL] = _("総評を入力してください。")
    if errors:
        raise ValidationError(errors)
    score.scores = parsed
    score.comments = kept
    score.overall_comment = overall_comment.strip()
    score.revision += 1
    score.submitted_at = timezone.now()
    score.save()
    transitions.fire(
        assignment,
        "submit",
        actor=actor,
        side=lifecycle.REVIEWER,
        action="review.score_submitted",
        changes={"scores": parsed},
    )
    return score


@transaction.atomic
def reopen(*, actor: User, assignment: Assignment, reason: str) -> Score:
    """Reopen a submitted score so the reviewer can change it; the reviewer is emailed the reason.

    Callers: the secretariat. Refused: no reason; a score not submitted."""
    policies.can_act_as_secretariat(actor).require()
    if not reason.strip():
        raise ValidationError({"reason": _("差し戻す理由を入力してください。審査員にメールで伝えられます。")})
    assignment = transitions.locked(assignment.pk)
    if assignment.status != lifecycle.SUBMITTED:
        raise ValidationError(_("提出済みの採点のみ差し戻せます。"))
    score = Score.objects.select_for_update().get(assignment=assignment)
    score.submitted_at = None
    score.reopened_at = timezone.now()
    score.reopened_reason = reason.strip()
    score.reopen_emailed_at = None
    score.revision += 1
    score.save()
    transitions.fire(
        assignment,
        "reopen",
        actor=actor,
        side=lifecycle.SECRETARIAT,
        action="review.score_reopened",
        changes={"reason": score.reopened_reason},
    )
    enqueue_on_commit(tasks.send_score_reopened, score.pk)
    return score
