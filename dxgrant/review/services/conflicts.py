"""Conflicts of interest (利益相反): the reviewer's declaration before seeing an application, and
the secretariat's exclusion by hand, with a reason. A conflict is written as a
ConflictExclusion, which every later draw respects."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record

from .. import lifecycle, policies
from ..models import Assignment, ConflictExclusion, ConflictSource, ReviewerMembership, Score
from . import draws, transitions


@transaction.atomic
def declare(*, actor: User, assignment: Assignment, conflict: bool) -> Assignment:
    """The reviewer declares whether they have a conflict with the application.

    No conflict: they go on to score (an empty draft is made). A conflict: they leave the
    application for good (a declared exclusion) and its place is refilled by a new draw for that
    application only. Callers: the assignment's reviewer, once, after accepting the round's terms."""
    assignment = transitions.locked(assignment.pk)
    policies.can_declare(actor, assignment).require()
    application = assignment.application
    if not ReviewerMembership.objects.filter(
        round=application.round, reviewer=actor, active=True, terms_accepted_at__isnull=False
    ).exists():
        raise ValidationError(_("先にこの公募回の守秘義務の確認に同意してください。"))
    now = timezone.now()
    if not conflict:
        transitions.fire(
            assignment,
            "declare_none",
            actor=actor,
            side=lifecycle.REVIEWER,
            action="review.declared_no_conflict",
            fields={"declared_at": now},
        )
        Score.objects.create(assignment=assignment)
        return assignment
    transitions.fire(
        assignment,
        "declare_conflict",
        actor=actor,
        side=lifecycle.REVIEWER,
        action="review.declared_conflict",
        fields={"declared_at": now},
    )
    ConflictExclusion.objects.create(
        application=application, reviewer=actor, source=ConflictSource.DECLARED, recorded_by=actor
    )
    draws.refill(actor=actor, application=application)
    return assignment


@transaction.atomic
def exclude(*, actor: User, application: Application, reviewer: User, reason: str) -> ConflictExclusion:
    """The secretariat keeps a reviewer off an application, with a reason; a place the reviewer
    holds on it is removed (re-running the draw fills it with someone else).

    Refused: no reason; a reviewer not in the round's pool; one already excluded."""
    policies.can_act_as_secretariat(actor).require()
    if not reason.strip():
        raise ValidationError({"reason": _("除外する理由を入力してください。")})
    if not ReviewerMembership.objects.filter(round_id=application.round_id, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("この公募回の審査員ではありません。")})
    if ConflictExclusion.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("この審査員はすでにこの申請から除外されています。")})
    exclusion = ConflictExclusion.objects.create(
        application=application,
        reviewer=reviewer,
        source=ConflictSource.SECRETARIAT,
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="review.conflict_excluded",
        obj=exclusion,
        changes={"application": application.pk, "reviewer": reviewer.email, "reason": exclusion.reason},
    )
    holding = Assignment.objects.filter(
        application=application, reviewer=reviewer, status__in=lifecycle.HOLDING
    ).first()
    if holding is not None:
        transitions.fire(
            transitions.locked(holding.pk),
            "remove",
            actor=actor,
            side=lifecycle.SECRETARIAT,
            action="review.removed",
            changes={"reason": exclusion.reason, "conflict": True},
        )
    return exclusion
