"""The review and the committee: the review rounds (/staff/review/), a round's reviewers with
their workload (/staff/review/rounds/<code>/), a round's suggested conflicts
(/staff/review/rounds/<code>/conflicts/) and the decision rounds (/staff/decisions/)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.core.i18n import localised
from dxgrant.decisions.policies import can_run_committee
from dxgrant.programs.models import Round
from dxgrant.review import lifecycle
from dxgrant.review import selectors as review_selectors
from dxgrant.review.models import Assignment, ConflictExclusion, ReviewerMembership

from .columns import Column, ListExport, Params, email_of, in_chunks

REASONS_SEPARATOR = "、"


def _count_of(queryset: QuerySet[Any]) -> Subquery:
    """A correlated count (no join that would multiply the rows)."""
    counted = queryset.order_by().values("round").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))  # type: ignore[return-value]


# --- review rounds (/staff/review/) ---


def _review_rounds(user: Visitor, params: Params) -> QuerySet[Any]:
    if not can_read_as_staff(user):
        return Round.objects.none()
    return review_selectors.reviewing_rounds().annotate(
        in_review=_count_of(Application.objects.filter(round=OuterRef("pk"), status=workflow.IN_REVIEW)),
        pool=_count_of(ReviewerMembership.objects.filter(round=OuterRef("pk"), active=True)),
    )


REVIEW_ROUNDS = ListExport(
    code="review-rounds",
    title=_lazy("交付審査"),
    list_url="staff_review:rounds",
    policy=can_read_as_staff,
    queryset=_review_rounds,
    columns=(
        Column(_lazy("公募回コード"), lambda r: r.code),
        Column(_lazy("公募回名"), lambda r: localised(r, "name")),
        Column(_lazy("交付審査中の申請"), lambda r: r.in_review),
        Column(_lazy("審査員"), lambda r: r.pool),
    ),
)


# --- a round's reviewers and their workload (/staff/review/rounds/<code>/?round=<code>) ---


def _reviewers(user: Visitor, params: Params) -> QuerySet[Any]:
    code = params.get("round", "")
    if not code or not can_read_as_staff(user):
        return ReviewerMembership.objects.none()
    return (
        ReviewerMembership.objects.filter(round__code=code)
        .select_related("reviewer")
        .order_by("reviewer__email", "pk")
    )


def _workloads(memberships: list[ReviewerMembership]) -> list[review_selectors.Workload]:
    """The chunk's workloads as the round page counts them: two grouped queries per chunk."""
    rounds = {m.round_id for m in memberships}
    reviewers = [m.reviewer_id for m in memberships]
    by_status = {
        (row["application__round_id"], row["reviewer_id"], row["status"]): row["n"]
        for row in Assignment.objects.filter(application__round_id__in=rounds, reviewer_id__in=reviewers)
        .values("application__round_id", "reviewer_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    exclusions = {
        (row["application__round_id"], row["reviewer_id"]): row["n"]
        for row in ConflictExclusion.objects.filter(
            application__round_id__in=rounds, reviewer_id__in=reviewers
        )
        .values("application__round_id", "reviewer_id")
        .annotate(n=Count("id"))
        .order_by()
    }

    def of(m: ReviewerMembership, status: str) -> int:
        count: int = by_status.get((m.round_id, m.reviewer_id, status), 0)
        return count

    return [
        review_selectors.Workload(
            membership=m,
            awaiting=of(m, lifecycle.AWAITING_DECLARATION),
            scoring=of(m, lifecycle.SCORING),
            submitted=of(m, lifecycle.SUBMITTED),
            conflicts=exclusions.get((m.round_id, m.reviewer_id), 0),
        )
        for m in memberships
    ]


REVIEWERS = ListExport(
    code="reviewers",
    title=_lazy("審査員と担当件数"),
    list_url="staff_review:rounds",
    policy=can_read_as_staff,
    queryset=_reviewers,
    present=in_chunks(_workloads),
    columns=(
        Column(_lazy("審査員"), lambda w: w.membership.reviewer.display_name),
        Column(_lazy("メールアドレス"), lambda w: w.membership.reviewer.email),
        Column(_lazy("所属"), lambda w: w.membership.organisation),
        Column(_lazy("所属先の法人番号"), lambda w: w.membership.organisation_corporate_number),
        Column(_lazy("審査に参加"), lambda w: w.membership.active),
        Column(_lazy("守秘義務に同意した日時"), lambda w: w.membership.terms_accepted_at),
        Column(_lazy("担当"), lambda w: w.holding),
        Column(_lazy("申告待ち"), lambda w: w.awaiting),
        Column(_lazy("採点中"), lambda w: w.scoring),
        Column(_lazy("提出済み"), lambda w: w.submitted),
        Column(_lazy("利益相反"), lambda w: w.conflicts),
    ),
)


# --- a round's suggested conflicts (/staff/review/rounds/<code>/conflicts/?round=<code>) ---


def _conflict_round(params: Params) -> Round | None:
    code = params.get("round", "")
    return Round.objects.filter(code=code).first() if code else None


def _conflict_basis(user: Visitor, params: Params) -> QuerySet[Any]:
    """What the suggestions are built from: the round's applications in review (the count that
    chooses between streaming and the background; the pairs themselves are found in memory by
    the page's own selector, as the page does)."""
    code = params.get("round", "")
    if not code or not can_read_as_staff(user):
        return Application.objects.none()
    return Application.objects.filter(round__code=code, status=workflow.IN_REVIEW)


def _conflicts(params: Params) -> Iterator[list[Any]]:
    yield [
        _("審査員"),
        _("所属"),
        _("受付番号"),
        _("会社名・屋号"),
        _("認定事業者"),
        _("一致した点"),
    ]
    round_obj = _conflict_round(params)
    if round_obj is None:
        return
    for s in review_selectors.suggested_conflicts(round_obj):
        yield [
            s.membership.reviewer.email,
            s.membership.organisation,
            s.application.receipt_number or "",
            s.application.company_name,
            s.application.firm.name,
            REASONS_SEPARATOR.join(str(r) for r in s.reasons),
        ]


CONFLICTS = ListExport(
    code="conflicts",
    title=_lazy("利益相反の候補"),
    list_url="staff_review:rounds",
    policy=can_read_as_staff,
    queryset=_conflict_basis,
    columns=(),
    generate=_conflicts,
)


# --- decision rounds (/staff/decisions/) ---


def _decision_rounds(user: Visitor, params: Params) -> QuerySet[Any]:
    if not can_run_committee(user):
        return Round.objects.none()
    return Round.objects.select_related(
        "decision", "decision__decided_by", "decision__published_by"
    ).order_by("-application_opens", "code")


def _decision_of(round_obj: Round) -> Any:
    return getattr(round_obj, "decision", None)  # none yet: RelatedObjectDoesNotExist


def _decision_state(round_obj: Round) -> str:
    decision = _decision_of(round_obj)
    if decision is None:
        return _("未決定")
    if decision.published_at is not None:
        return _("公表済み")
    return _("交付決定済み（未公表）")


def _decided(name: str) -> Any:
    return lambda r: getattr(_decision_of(r), name, None)


DECISION_ROUNDS = ListExport(
    code="decision-rounds",
    title=_lazy("審査会・交付決定"),
    list_url="decisions:rounds",
    policy=can_run_committee,
    queryset=_decision_rounds,
    columns=(
        Column(_lazy("公募回コード"), lambda r: r.code),
        Column(_lazy("公募回名"), lambda r: localised(r, "name")),
        Column(_lazy("状態"), _decision_state),
        Column(_lazy("予算額（円）"), _decided("budget_yen")),
        Column(_lazy("採択額の合計（円）"), _decided("awarded_total_yen")),
        Column(_lazy("決定日時"), _decided("decided_at")),
        Column(_lazy("決定者"), lambda r: email_of(_decided("decided_by")(r))),
        Column(_lazy("公表日時"), _decided("published_at")),
    ),
)
