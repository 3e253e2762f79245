"""Reads of the review, filtered by what the person may see."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.advisors.models import FirmMembership
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ScreeningDecision, ScreeningOutcome
from dxgrant.core.tokens import hash_token
from dxgrant.japan.search import normalise
from dxgrant.programs.models import Round
from dxgrant.support.models import EngagementMember

from . import lifecycle, policies, scoring
from .models import (
    Assignment,
    AssignmentRun,
    ConflictExclusion,
    ReviewerInvitation,
    ReviewerMembership,
    Score,
)

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


def terms_text(round_obj: Round) -> tuple[str, str]:
    """The round's confidentiality terms (Japanese, English), as the reviewer reads them."""
    rules = round_obj.rules.review
    return rules.confidentiality_terms_ja, rules.confidentiality_terms_en


def terms_sha256(round_obj: Round) -> str:
    """The SHA-256 of the round's terms (both languages): what a reviewer's acceptance records."""
    ja, en = terms_text(round_obj)
    return hashlib.sha256(f"{ja}\n\n{en}".encode()).hexdigest()


def membership_of(user: Visitor, round_obj: Round) -> ReviewerMembership | None:
    if not user.is_authenticated:
        return None
    return ReviewerMembership.objects.filter(round=round_obj, reviewer=user.pk, active=True).first()


def get_assignment_for(user: Visitor, pk: int) -> Assignment:
    """The reviewer's own holding assignment (404 for missing and forbidden alike)."""
    assignment = (
        policies.assignments_visible_to(user)
        .select_related("application__round", "application__firm", "score")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def queue(user: Visitor) -> QuerySet[Assignment]:
    """The reviewer's work queue: their holding places, with application and round."""
    return policies.assignments_visible_to(user).select_related(
        "application__round", "application__firm", "score"
    )


def rounds_awaiting_terms(user: Visitor) -> list[ReviewerMembership]:
    """The rounds whose pool the reviewer is in and whose terms they have not accepted."""
    if not user.is_authenticated:
        return []
    return list(
        ReviewerMembership.objects.filter(reviewer=user.pk, active=True, terms_accepted_at__isnull=True)
        .select_related("round")
        .order_by("round_id")
    )


def reviewing_rounds() -> QuerySet[Round]:
    """Rounds with a pool or an application in review (the secretariat's index)."""
    in_review = Application.objects.filter(round=OuterRef("pk"), status=workflow.IN_REVIEW)
    pool = ReviewerMembership.objects.filter(round=OuterRef("pk"))
    return Round.objects.filter(Q(Exists(in_review)) | Q(Exists(pool))).order_by("-application_opens", "code")


@dataclass(frozen=True)
class Workload:
    membership: ReviewerMembership
    awaiting: int
    scoring: int
    submitted: int
    conflicts: int

    @property
    def holding(self) -> int:
        return self.awaiting + self.scoring + self.submitted


@dataclass(frozen=True)
class Progress:
    screened: int  # applications whose screening was decided (passed or rejected)
    screening_rejected: int
    in_review: int
    assigned: int  # applications in review with at least one place
    full: int  # applications in review with every place filled
    awaiting: int
    scoring: int
    submitted: int
    conflicts: int
    scored: int  # applications in review with every place's score submitted
    flagged: int  # of those, reviewers disagreeing beyond the round's thresholds
    workloads: list[Workload]
    runs: list[AssignmentRun]


def progress(round_obj: Round) -> Progress:
    """The round's review in figures, with the workload per reviewer: a fixed number of queries
    (grouped counts), whatever the number of applications and reviewers."""
    per = round_obj.rules.review.reviewers_per_application
    in_review = Application.objects.filter(round=round_obj, status=workflow.IN_REVIEW)
    holding = Assignment.objects.filter(application__round=round_obj, status__in=lifecycle.HOLDING)
    places = (
        holding.filter(application__status=workflow.IN_REVIEW)
        .values("application_id")
        .annotate(n=Count("id"))
    )
    place_counts = [row["n"] for row in places]
    by_status = {
        (row["reviewer_id"], row["status"]): row["n"]
        for row in Assignment.objects.filter(application__round=round_obj)
        .values("reviewer_id", "status")
        .annotate(n=Count("id"))
    }
    exclusions = dict(
        ConflictExclusion.objects.filter(application__round=round_obj)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    pool = list(
        ReviewerMembership.objects.filter(round=round_obj)
        .select_related("reviewer")
        .order_by("reviewer__email")
    )
    workloads = [
        Workload(
            membership=m,
            awaiting=by_status.get((m.reviewer_id, lifecycle.AWAITING_DECLARATION), 0),
            scoring=by_status.get((m.reviewer_id, lifecycle.SCORING), 0),
            submitted=by_status.get((m.reviewer_id, lifecycle.SUBMITTED), 0),
            conflicts=exclusions.get(m.reviewer_id, 0),
        )
        for m in pool
    ]

    def total(status: str) -> int:
        return sum(n for (_reviewer, s), n in by_status.items() if s == status)

    screened = dict(
        ScreeningDecision.objects.filter(application__round=round_obj)
        .values("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    in_review_ids = set(in_review.values_list("pk", flat=True))
    scored: scoring.Scores = {
        app: dict(rows)
        for app, rows in submitted_scores(round_obj).items()
        if app in in_review_ids and len(rows) >= per
    }
    rules = round_obj.rules
    aggregates = (
        scoring.aggregate(
            scored, rubric=rules.rubric, review=rules.review, pass_score=rules.amount_rule.pass_score
        )
        if scored
        else {}
    )
    return Progress(
        screened=sum(screened.values()),
        screening_rejected=screened.get(ScreeningOutcome.REJECTED, 0),
        scored=len(scored),
        flagged=sum(1 for agg in aggregates.values() if agg.disagreement.flagged),
        in_review=len(in_review_ids),
        assigned=len(place_counts),
        full=sum(1 for n in place_counts if n >= per),
        awaiting=total(lifecycle.AWAITING_DECLARATION),
        scoring=total(lifecycle.SCORING),
        submitted=total(lifecycle.SUBMITTED),
        conflicts=sum(exclusions.values()),
        workloads=workloads,
        runs=list(
            AssignmentRun.objects.filter(round=round_obj)
            .select_related("run_by")
            .order_by("-run_at", "-id")[:10]
        ),
    )


def application_places(application: Application) -> list[Assignment]:
    """Every place ever given on the application (holding first), with reviewer and score."""
    return sorted(
        Assignment.objects.filter(application=application).select_related("reviewer", "score", "run"),
        key=lambda a: (a.status not in lifecycle.HOLDING, a.pk),
    )


@dataclass(frozen=True)
class Suggestion:
    membership: ReviewerMembership
    application: Application
    reasons: list[str]


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def suggested_conflicts(round_obj: Round) -> list[Suggestion]:
    """Reviewer × application pairs that look conflicted and are not excluded yet: the
    reviewer's organisation named like the advisor firm or the company (after search folding),
    the same 法人番号, or the same email domain as the company's people or the firm's advisors.
    Built from indexes in one pass: a fixed number of queries."""
    applications = list(
        Application.objects.filter(round=round_obj, status=workflow.IN_REVIEW)
        .select_related("firm")
        .order_by("pk")
    )
    ids = [a.pk for a in applications]
    people = defaultdict(set)
    for application_id, email in EngagementMember.objects.filter(engagement__application__in=ids).values_list(
        "engagement__application", "user__email"
    ):
        people[application_id].add(_domain(email))
    firm_domains = defaultdict(set)
    firms = {a.firm_id for a in applications}
    for firm_id, email in FirmMembership.objects.filter(firm_id__in=firms, is_active=True).values_list(
        "firm_id", "user__email"
    ):
        firm_domains[firm_id].add(_domain(email))
    excluded = set(
        ConflictExclusion.objects.filter(application__round=round_obj).values_list(
            "application_id", "reviewer_id"
        )
    )
    by_key: dict[tuple[str, str], list[tuple[Application, str]]] = defaultdict(list)
    for a in applications:
        by_key[("name", normalise(a.company_name))].append((a, _("所属が申請企業名と一致")))
        by_key[("name", normalise(a.firm.name))].append((a, _("所属が認定事業者名と一致")))
        for number, why in (
            (a.corporate_number, _("法人番号が申請企業と一致")),
            (a.firm.corporate_number, _("法人番号が認定事業者と一致")),
        ):
            if number:
                by_key[("number", number)].append((a, why))
        for domain in people[a.pk]:
            by_key[("domain", domain)].append((a, _("メールのドメインが申請企業の担当者と一致")))
        for domain in firm_domains[a.firm_id]:
            by_key[("domain", domain)].append((a, _("メールのドメインがアドバイザーと一致")))
    suggestions = []
    pool = (
        ReviewerMembership.objects.filter(round=round_obj, active=True)
        .select_related("reviewer")
        .order_by("reviewer__email")
    )
    for membership in pool:
        keys = [("domain", _domain(membership.reviewer.email))]
        if membership.organisation.strip():
            keys.append(("name", normalise(membership.organisation)))
        if membership.organisation_corporate_number:
            keys.append(("number", membership.organisation_corporate_number))
        found: dict[int, tuple[Application, list[str]]] = {}
        for key in keys:
            for application, why in by_key.get(key, []):
                if (application.pk, membership.reviewer_id) in excluded:
                    continue
                entry = found.setdefault(application.pk, (application, []))
                if why not in entry[1]:
                    entry[1].append(why)
        suggestions += [Suggestion(membership, a, reasons) for a, reasons in found.values()]
    return suggestions


# --- Invitations of people without an account ---------------------------------------------------


def open_invitations(round_obj: Round) -> list[ReviewerInvitation]:
    """The round's invitations neither accepted nor revoked (expired ones included: the
    secretariat resends or revokes them), newest first."""
    return list(
        ReviewerInvitation.objects.filter(round=round_obj, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-id")
    )


def find_invitation(raw_token: str) -> ReviewerInvitation | None:
    """The invitation a link points at, whatever its state (the page explains the state)."""
    if not raw_token or len(raw_token) > 100:
        return None
    return ReviewerInvitation.objects.select_related("round").filter(token_hash=hash_token(raw_token)).first()


def invitation_problem(invitation: ReviewerInvitation | None) -> str:
    """Why a link cannot be used, or "" if it can."""
    if invitation is None:
        return _("この招待リンクは無効です。アドレスを最後まで正しく開いたかご確認ください。")
    if invitation.revoked_at is not None:
        return _("この審査員への招待は取り消されました。事務局にお問い合わせください。")
    if invitation.accepted_at is not None:
        return _("この審査員への招待はすでに承諾されています。ログインしてご利用ください。")
    if invitation.expires_at <= timezone.now():
        return _("この招待リンクは有効期限（%(when)s）が切れています。事務局に再送を依頼してください。") % {
            "when": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")
        }
    return ""
