"""Reads of the decision: the committee's ranking of a round (one pass over a few queries,
however many applications), one application's aggregation and amount sheet, and the published
results. Every figure comes from the round's data, the submitted scores and the submitted
snapshot; nothing an applicant or advisor can still edit sets an amount."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import is_staff_reader
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.programs.models import Round
from dxgrant.review import lifecycle as review_lifecycle
from dxgrant.review.models import Score
from dxgrant.review.scoring import ReviewerZ

from . import figures
from .models import Decision, Meeting, Override, RoundDecision

# Ties go to the earlier submission: an application without a submission time comes last.
NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def get_round_for_staff(user: Visitor, code: str) -> Round:
    """A round by code, for the secretariat and auditors (404 for anyone else and for none)."""
    round_obj = Round.objects.filter(code=code).first() if is_staff_reader(user) else None
    if round_obj is None:
        raise Http404(code)
    return round_obj


def eligible_cost_of_latest_version() -> Subquery:
    """The eligible cost (tax excluded) of the latest submitted version's budget, as a column."""
    return Subquery(
        ApplicationVersion.objects.filter(application=OuterRef("pk"))
        .order_by("-number")
        .annotate(eligible=Cast("snapshot__budget__eligible_total_yen", IntegerField()))
        .values("eligible")[:1]
    )


def submitted_scores(round_obj: Round) -> dict[int, list[tuple[int, dict[str, int]]]]:
    """{application id: [(reviewer id, {criterion: score})]} of the round's submitted scores."""
    rows = (
        Score.objects.filter(
            assignment__application__round=round_obj,
            assignment__status=review_lifecycle.SUBMITTED,
            submitted_at__isnull=False,
        )
        .order_by("assignment__application_id", "assignment__reviewer_id")
        .values_list("assignment__application_id", "assignment__reviewer_id", "scores")
    )
    scored: dict[int, list[tuple[int, dict[str, int]]]] = {}
    for application_id, reviewer_id, scores in rows:
        scored.setdefault(application_id, []).append((reviewer_id, {k: int(v) for k, v in scores.items()}))
    return scored


@dataclass(frozen=True)
class Row:
    application_id: int
    company_name: str
    receipt_number: str
    submitted_at: dt.datetime | None
    aggregate: figures.Aggregate
    sheet: figures.AmountSheet
    override: Override | None
    ranked: figures.Ranked | None = None


class Committee:
    """The committee page's facts for one round, computed once: the reviewed applications (in
    review, with the round's number of submitted scores) ranked by score (ties: earlier
    submission, then id), each with its amount sheet and the budget's outcome."""

    def __init__(self, round_obj: Round, *, budget_yen: int | None = None) -> None:
        self.round = round_obj
        self.budget_yen = round_obj.budget_yen if budget_yen is None else budget_yen

    @cached_property
    def rows(self) -> list[Row]:
        rules = self.round.rules
        review, rule = rules.review, rules.amount_rule
        scored = {
            app: rows
            for app, rows in submitted_scores(self.round).items()
            if len(rows) >= review.reviewers_per_application
        }
        applications = (
            Application.objects.filter(round=self.round, status=workflow.IN_REVIEW, pk__in=list(scored))
            .annotate(eligible=eligible_cost_of_latest_version())
            .values_list("pk", "company_name", "receipt_number", "submitted_at", "eligible")
        )
        aggregates = figures.aggregate_round(rules.rubric, review, rule.pass_score, scored)
        overrides = {o.application_id: o for o in Override.objects.filter(application__round=self.round)}
        rows = []
        for pk, name, receipt, submitted_at, eligible in applications:
            agg = aggregates[pk]
            sheet = figures.amount_sheet(
                rule, eligible_cost_yen=int(eligible or 0), score=agg.score, disqualified=agg.disqualified
            )
            rows.append(Row(pk, name, receipt or "", submitted_at, agg, sheet, overrides.get(pk)))
        candidates = [
            figures.Candidate(
                r.application_id,
                r.aggregate.score,
                r.submitted_at or NEVER,
                r.sheet,
                (r.override.forced_outcome or None) if r.override else None,  # type: ignore[arg-type]
                r.override.decided_yen if r.override else None,
            )
            for r in rows
        ]
        ranked, _ranking = figures.rank(candidates, self.budget_yen)
        by_id = {r.application_id: r for r in rows}
        return [Row(**{**by_id[k.application_id].__dict__, "ranked": k}) for k in ranked]

    @cached_property
    def awarded_total_yen(self) -> int:
        return sum(r.ranked.amount_yen for r in self.rows if r.ranked and r.ranked.outcome == figures.AWARDED)

    @cached_property
    def cut_off(self) -> Row | None:
        """The last application awarded by the rule's ranking."""
        awarded = [r for r in self.rows if r.ranked and r.ranked.outcome == figures.AWARDED]
        return awarded[-1] if awarded else None

    @cached_property
    def meetings(self) -> list[Meeting]:
        return list(Meeting.objects.filter(round=self.round).select_related("recorded_by"))

    @cached_property
    def decision(self) -> RoundDecision | None:
        return RoundDecision.objects.filter(round=self.round).first()


def round_decision(round_obj: Round) -> RoundDecision | None:
    """The round's decision, if it is decided."""
    return RoundDecision.objects.filter(round=round_obj).first()


@dataclass(frozen=True)
class DecidedRow:
    """One Decision row as recorded, with the awarded amounts summed down the ranking."""

    entry: Decision
    running_total_yen: int

    @property
    def flagged(self) -> bool:
        return bool(self.entry.sheet.get("flagged"))

    @property
    def passed_over(self) -> bool:
        """Fundable by the rule, not changed by the committee, and rejected: the budget ran out."""
        e = self.entry
        return (
            e.outcome == figures.REJECTED
            and not e.override_reason
            and e.sheet.get("outcome_by_rule") == "fundable"
        )


class DecidedCommittee:
    """The committee page once the round is decided: the Decision rows as recorded (rank order),
    the budget and awarded total of the RoundDecision. Publication moves the applications out of
    review, so the live ranking (Committee) no longer applies; the record does."""

    def __init__(self, round_obj: Round, decision: RoundDecision) -> None:
        self.round = round_obj
        self.decision = decision
        self.budget_yen = decision.budget_yen
        self.awarded_total_yen = decision.awarded_total_yen
        self.decided_on = timezone.localdate(decision.decided_at)
        self.published_on = timezone.localdate(decision.published_at) if decision.published_at else None

    @cached_property
    def rows(self) -> list[DecidedRow]:
        total = 0
        rows = []
        for entry in self.decision.entries.select_related("application").order_by("rank"):
            total += entry.amount_yen if entry.outcome == figures.AWARDED else 0
            rows.append(DecidedRow(entry, total))
        return rows

    @cached_property
    def cut_off(self) -> DecidedRow | None:
        """The last application awarded in the decision."""
        awarded = [r for r in self.rows if r.entry.outcome == figures.AWARDED]
        return awarded[-1] if awarded else None

    @cached_property
    def meetings(self) -> list[Meeting]:
        return list(Meeting.objects.filter(round=self.round).select_related("recorded_by"))


@dataclass(frozen=True)
class ApplicationFigures:
    application: Application
    aggregate: figures.Aggregate | None
    sheet: figures.AmountSheet | None
    eligible_cost_yen: int
    scores: list[Score]
    override: Override | None
    decision: Decision | None

    def criterion_rows(self, rubric: list[Any]) -> list[tuple[Any, list[tuple[Any, str]], Any]]:
        """(criterion, [(score, comment) per reviewer], mean) for the aggregation table."""
        means = self.aggregate.criterion_means if self.aggregate else {}
        return [
            (c, [(s.scores.get(c.code), s.comments.get(c.code, "")) for s in self.scores], means.get(c.code))
            for c in rubric
        ]

    def reviewer_z(self) -> list[ReviewerZ | None]:
        """Each reviewer's z figures, in the order of `scores` (empty unless the round
        standardises)."""
        behind = self.aggregate.standardisation if self.aggregate else None
        if behind is None:
            return []
        return [behind.reviewers.get(s.assignment.reviewer_id) for s in self.scores]


def application_figures(round_obj: Round, pk: int) -> ApplicationFigures:
    """One application's aggregation and amount sheet (the whole round's scores are read when
    the round standardises: a z-score needs the reviewer's other applications)."""
    application = (
        Application.objects.filter(round=round_obj, pk=pk)
        .annotate(eligible=eligible_cost_of_latest_version())
        .select_related("firm")
        .first()
    )
    if application is None:
        raise Http404(pk)
    rules = round_obj.rules
    scores = list(
        Score.objects.filter(
            assignment__application=application,
            assignment__status=review_lifecycle.SUBMITTED,
            submitted_at__isnull=False,
        )
        .select_related("assignment__reviewer")
        .order_by("assignment__reviewer_id")
    )
    if rules.review.standardise:
        # The same pool as the committee's: applications with the round's number of scores (a
        # reviewer's partly reviewed ones would move their mean), and this one whatever its count.
        scored = {
            app: rows
            for app, rows in submitted_scores(round_obj).items()
            if app == pk or len(rows) >= rules.review.reviewers_per_application
        }
    else:
        scored = {pk: [(s.assignment.reviewer_id, {k: int(v) for k, v in s.scores.items()}) for s in scores]}
    eligible = int(application.eligible or 0)
    aggregate = sheet = None
    if scored.get(pk):
        aggregate = figures.aggregate_round(rules.rubric, rules.review, rules.amount_rule.pass_score, scored)[
            pk
        ]
        sheet = figures.amount_sheet(
            rules.amount_rule,
            eligible_cost_yen=eligible,
            score=aggregate.score,
            disqualified=aggregate.disqualified,
        )
    return ApplicationFigures(
        application,
        aggregate,
        sheet,
        eligible,
        scores,
        Override.objects.filter(application=application).first(),
        Decision.objects.filter(application=application).first(),
    )


# --- Published results ------------------------------------------------------------------------


def published_decision(code: str) -> RoundDecision:
    """The round's published decision, for anyone (404 before publication)."""
    decision = (
        RoundDecision.objects.filter(round__code=code, published_at__isnull=False)
        .select_related("round")
        .first()
    )
    if decision is None:
        raise Http404(code)
    return decision


def published_entries(decision: RoundDecision) -> list[dict[str, Any]]:
    """Entries in rank order, with the company named for awarded entries only, and their
    notice's number once it is issued (awards.Notice, the reverse one-to-one `notice`)."""
    rows = decision.entries.select_related("application", "notice").order_by("rank")
    entries = []
    for d in rows:
        entry: dict[str, Any] = {
            "rank": d.rank,
            "score": f"{d.score:.2f}",
            "eligible_cost_yen": d.eligible_cost_yen,
            "rate": d.rate,
            "proposed_yen": d.proposed_yen,
            "amount_yen": d.amount_yen,
            "outcome": d.outcome,
            "override_reason": d.override_reason,
        }
        if d.outcome == figures.AWARDED:
            a = d.application
            entry |= {
                "company_name": a.company_name,
                "corporate_number": a.corporate_number,
                "prefecture": a.prefecture,
                "receipt_number": a.receipt_number or "",
                "notice_number": getattr(getattr(d, "notice", None), "number", None),
            }
        entries.append(entry)
    return entries


def decision_visible_to(application: Application) -> Decision | None:
    """The application's decision for its people: none before publication."""
    return (
        Decision.objects.filter(application=application, round_decision__published_at__isnull=False)
        .select_related("round_decision")
        .first()
    )


# --- The result on the application's page ------------------------------------------------------

# The application's states once its round's results are published (award, then the award's
# own course; or rejection). Before these, no query is made and nothing is shown.
AFTER_PUBLICATION = frozenset(
    {
        workflow.AWARDED,
        workflow.REJECTED,
        workflow.NOTIFIED,
        workflow.ACCEPTED,
        workflow.PAID,
        workflow.REPORTING,
        workflow.COMPLETED,
        workflow.CANCELLED,
        workflow.REPAYMENT_DUE,
        workflow.REPAID,
    }
)

# Why an application was not awarded, in the words the applicant reads (template
# applications/_result.html names each).
COMMITTEE = "committee"
CRITERION_FLOOR = "criterion_floor"
UNDER_THE_BAR = "below_pass_score"
BELOW_FLOOR = "below_floor"
BUDGET = "budget"


@dataclass(frozen=True)
class PublishedResult:
    """The published decision as the applicant and the advisor read it."""

    decision: Decision
    results_code: str
    criterion_floor: Any = None

    @property
    def awarded(self) -> bool:
        return self.decision.outcome == figures.AWARDED

    @property
    def why_not(self) -> str:
        """For a rejection: the committee's reason, a criterion at the floor, the score below
        the pass score, the rule's amount below the floor, or passed over for the budget."""
        if self.awarded:
            return ""
        sheet = self.decision.sheet
        if self.decision.override_reason:
            return COMMITTEE
        if sheet.get("disqualified"):
            return CRITERION_FLOOR
        if sheet.get("outcome_by_rule") == UNDER_THE_BAR:
            return UNDER_THE_BAR
        if sheet.get("outcome_by_rule") == BELOW_FLOOR:
            return BELOW_FLOOR
        return CRITERION_FLOOR if self.decision.outcome == figures.DISQUALIFIED else BUDGET


def published_result(application: Application) -> PublishedResult | None:
    """The application's result for its people once the round's results are published: none
    before (and no query unless the application is past the decision)."""
    if application.status not in AFTER_PUBLICATION:
        return None
    decision = decision_visible_to(application)
    if decision is None:
        return None
    rules = application.round.rules
    return PublishedResult(decision, application.round.code, rules.review.criterion_floor)
