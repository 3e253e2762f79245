"""Drawing reviewers for a round's applications in review: N per application (round data), no
reviewer where a conflict is known, workload balanced, random under those constraints with a
recorded seed (`review/assignment.py` does the arithmetic). Re-running fills only the missing
places. Places are written in bulk; the audit has one entry per draw; each reviewer gets one
email per draw. The secretariat can also add or remove one reviewer on one application."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import assignment as drawing
from .. import lifecycle, policies, tasks
from ..models import Assignment, AssignmentRun, ConflictExclusion, ReviewerMembership
from . import transitions

# Seeds are drawn below 2**62 so they fit the signed 64-bit column everywhere.
SEED_BITS = 62
BATCH = 2000


def new_seed() -> int:
    return secrets.randbits(SEED_BITS)


def due_on(round_obj: Round) -> dt.date:
    days: int = round_obj.rules.review.scoring_days
    return timezone.localdate() + dt.timedelta(days=days)


def _pool(round_obj: Round) -> list[int]:
    return list(
        ReviewerMembership.objects.filter(round=round_obj, active=True, reviewer__is_active=True)
        .order_by("reviewer_id")
        .values_list("reviewer_id", flat=True)
    )


def _kept_apart(round_obj: Round, applications: list[int] | None = None) -> set[tuple[int, int]]:
    """(application, reviewer) pairs never drawn: known conflicts, and reviewers who left the
    application (declared a conflict or were removed by the secretariat)."""
    exclusions = ConflictExclusion.objects.filter(application__round=round_obj)
    former = Assignment.objects.filter(application__round=round_obj).exclude(status__in=lifecycle.HOLDING)
    if applications is not None:
        exclusions = exclusions.filter(application_id__in=applications)
        former = former.filter(application_id__in=applications)
    pairs = set(exclusions.values_list("application_id", "reviewer_id"))
    return pairs | set(former.values_list("application_id", "reviewer_id"))


def _holding(round_obj: Round, applications: list[int] | None = None) -> list[tuple[int, int]]:
    holding = Assignment.objects.filter(application__round=round_obj, status__in=lifecycle.HOLDING)
    if applications is not None:
        holding = holding.filter(application_id__in=applications)
    return list(holding.values_list("application_id", "reviewer_id"))


def _draw(*, actor: User, round_obj: Round, applications: list[int], seed: int, action: str) -> AssignmentRun:
    per_application = round_obj.rules.review.reviewers_per_application
    reviewers = _pool(round_obj)
    result = drawing.assign(
        applications,
        reviewers,
        per_application=per_application,
        conflicts=_kept_apart(round_obj, None if action == "review.draw" else applications),
        existing=_holding(round_obj),
        seed=seed,
    )
    run = AssignmentRun.objects.create(
        round=round_obj,
        seed=seed,
        per_application=per_application,
        applications=len(applications),
        created=len(result.pairs),
        short=sorted(result.short),
        run_by=actor,
    )
    due = due_on(round_obj)
    Assignment.objects.bulk_create(
        [
            Assignment(application_id=app, reviewer_id=reviewer, run=run, assigned_by=actor, due_on=due)
            for app, reviewer in result.pairs
        ],
        batch_size=BATCH,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=run,
        changes={
            "round": round_obj.code,
            "seed": str(seed),
            "per_application": per_application,
            "applications": len(applications),
            "reviewers": len(reviewers),
            "created": len(result.pairs),
            "short": len(result.short),
        },
    )
    for reviewer in sorted({reviewer for _app, reviewer in result.pairs}):
        enqueue_on_commit(tasks.send_assignments, reviewer, round_obj.pk)
    return run


@transaction.atomic
def run_draw(*, actor: User, round_obj: Round, seed: int | None = None) -> AssignmentRun:
    """Fill the missing places of every application of the round in review.

    Callers: the secretariat. Refused: a round with no application in review, an empty pool, a
    seed that is negative or too large. The same seed on the same data draws the same pairs."""
    policies.can_act_as_secretariat(actor).require()
    if seed is None:
        seed = new_seed()
    if not 0 <= seed < 2**SEED_BITS:
        raise ValidationError(
            {"seed": _("シード値は0以上 %(max)s 未満の整数で入力してください。") % {"max": 2**SEED_BITS}}
        )
    # Serialise draws of one round: a second one waits and then sees the first one's places.
    Round.objects.select_for_update().filter(pk=round_obj.pk).first()
    applications = list(
        Application.objects.filter(round=round_obj, status=workflow.IN_REVIEW)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not applications:
        raise ValidationError(
            _("交付審査中の申請がありません。形式審査を通過した申請があるときに割り当ててください。")
        )
    if not _pool(round_obj):
        raise ValidationError(_("審査員がいません。先に審査員を追加してください。"))
    return _draw(actor=actor, round_obj=round_obj, applications=applications, seed=seed, action="review.draw")


def refill(*, actor: User, application: Application) -> AssignmentRun:
    """A new draw for one application only (after a declared conflict), in the caller's
    transaction; audited as a draw of its own."""
    return _draw(
        actor=actor,
        round_obj=application.round,
        applications=[application.pk],
        seed=new_seed(),
        action="review.refill",
    )


@transaction.atomic
def add_by_hand(*, actor: User, application: Application, reviewer: User) -> Assignment:
    """Put one reviewer of the pool on one application in review, by hand (audited, emailed).

    Refused: an application not in review; a reviewer not in the round's pool; a known conflict;
    a reviewer who already holds a place on it."""
    policies.can_act_as_secretariat(actor).require()
    application = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    if application.status != workflow.IN_REVIEW:
        raise ValidationError(_("交付審査中の申請にのみ審査員を割り当てられます。"))
    if not ReviewerMembership.objects.filter(
        round=application.round, reviewer=reviewer, active=True
    ).exists():
        raise ValidationError({"reviewer": _("この公募回の審査員ではありません。")})
    if ConflictExclusion.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("この審査員はこの申請と利益相反があるため割り当てられません。")})
    if Assignment.objects.filter(
        Q(application=application, reviewer=reviewer), status__in=lifecycle.HOLDING
    ).exists():
        raise ValidationError({"reviewer": _("この審査員はすでにこの申請の担当です。")})
    assignment = Assignment.objects.create(
        application=application, reviewer=reviewer, assigned_by=actor, due_on=due_on(application.round)
    )
    audit_record(
        actor=actor,
        action="review.assigned_by_hand",
        obj=assignment,
        changes={"application": application.pk, "reviewer": reviewer.email},
    )
    enqueue_on_commit(tasks.send_assignments, reviewer.pk, application.round_id)
    return assignment


@transaction.atomic
def remove(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """Take a reviewer off an application (their draft or submitted score no longer counts).

    Callers: the secretariat. Refused: no reason; a place that no longer holds."""
    policies.can_act_as_secretariat(actor).require()
    if not reason.strip():
        raise ValidationError({"reason": _("担当から外す理由を入力してください。")})
    assignment = transitions.locked(assignment.pk)
    return transitions.fire(
        assignment,
        "remove",
        actor=actor,
        side=lifecycle.SECRETARIAT,
        action="review.removed",
        changes={"reason": reason.strip()},
    )
