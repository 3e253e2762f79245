"""The demo's review and decision: the published round anyone can read and recompute, and the
reviewer's assignments waiting in the open round, all written through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Notice
from dxgrant.decisions.models import Decision, Override, RoundDecision
from dxgrant.demo.review import DECIDED_ROUND_CODE
from dxgrant.demo.seed import DEMO_ROUND_CODE, seed_demo
from dxgrant.integrity.services import verify_audit_chain
from dxgrant.review import lifecycle
from dxgrant.review.models import Assignment, ReviewerInvitation, ReviewerMembership

from .test_awards_demo import the_awards_demo

pytestmark = pytest.mark.django_db


def test_the_review_demo_decided_round_and_reviewer_assignments(programme):
    seed_demo(review=True)
    seed_demo(review=True)  # twice changes nothing
    decision = RoundDecision.objects.get(round__code=DECIDED_ROUND_CODE)
    assert decision.published_at is not None
    entries = list(Decision.objects.filter(round_decision=decision).order_by("rank"))
    outcomes = [e.outcome for e in entries]
    assert len(entries) >= 30
    assert outcomes.count("awarded") >= 10
    assert outcomes.count("disqualified") >= 1
    # Rejected for the budget: fundable by the rule, not awarded.
    passed_over = [e for e in entries if e.outcome == "rejected" and e.proposed_yen > 0]
    assert passed_over
    assert sum(e.amount_yen for e in entries) <= decision.budget_yen
    override = Override.objects.get(application__round__code=DECIDED_ROUND_CODE)
    assert override.reason
    assert Decision.objects.get(application=override.application).override_reason == override.reason
    # The applications moved at publication, through the workflow.
    statuses = set(
        Application.objects.filter(round__code=DECIDED_ROUND_CODE).values_list("status", flat=True)
    )
    # (Three awards notified, two of them accepted: demo/awards.py, tests/demo/test_awards_demo.py.)
    assert statuses == {workflow.AWARDED, workflow.NOTIFIED, workflow.ACCEPTED, workflow.REJECTED}
    # The public results answer, and the audit chain holds.
    response = Client().get(f"/api/v1/rounds/{DECIDED_ROUND_CODE}/results")
    assert response.status_code == 200
    assert len(response.json()["entries"]) == len(entries)
    assert verify_audit_chain().ok
    # The demo applicant's company was among them, awarded: its page shows the result.
    yamada = Application.objects.get(
        round__code=DECIDED_ROUND_CODE, engagement__members__user__email="applicant@demo.dxgrant.jp"
    )
    assert yamada.status == workflow.ACCEPTED
    notice = Notice.objects.get(application=yamada)
    assert notice.kind == "award"
    client = Client()
    client.force_login(yamada.engagement.members.get().user)
    page = client.get(f"/applications/{yamada.pk}/").content.decode()
    assert "採択" in page and notice.number in page
    # The open round: the demo reviewer has assignments waiting.
    mine = Assignment.objects.filter(
        reviewer__email="reviewer@demo.dxgrant.jp", application__round__code=DEMO_ROUND_CODE
    )
    assert mine.exists()
    assert set(mine.values_list("status", flat=True)) == {lifecycle.AWAITING_DECLARATION}
    # The terms are theirs to accept.
    membership = ReviewerMembership.objects.get(
        reviewer__email="reviewer@demo.dxgrant.jp", round__code=DEMO_ROUND_CODE
    )
    assert membership.terms_accepted_at is None
    # One person without an account is invited to the open round's pool, the link still usable.
    [invited] = ReviewerInvitation.objects.filter(round__code=DEMO_ROUND_CODE)
    assert invited.is_usable and invited.organisation
    # Someone is still waiting for screening: the secretariat has that to try too.
    assert Application.objects.filter(round__code=DEMO_ROUND_CODE, status=workflow.SUBMITTED).exists()
    # After the decision: acceptances, payee accounts and an approved payment batch (one seeding
    # serves both files: the review's seeding takes most of a minute).
    the_awards_demo()
