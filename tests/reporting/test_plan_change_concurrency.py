"""Plan changes decided at the same moment, in real threads on PostgreSQL.

Two secretariat decisions of the same change at once decide it once (one new plan version at
most). Two open changes of one application cannot exist (the database's `plan_change_one_open`),
so two approvals of two changes are always one after the other: the second request is made
against the plan the first approval produced, and the versions are numbered without a gap. An approval racing the applicant's new request: the request either waits for the
approval and is made against the new plan, or comes first and is refused while one is open.
`approve_change` locks the application first (`plan_changes._lock`): without it, the request
racing the approval is made against version 0 while the approval makes version 1.
"""

from __future__ import annotations

import pytest

from dxgrant.applications.models import Application
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.plan_models import PlanChange, PlanChangeStatus, PlanVersion
from dxgrant.reporting.plans import current_plan
from dxgrant.reporting.services import plan_changes
from tests.applications.test_concurrency import assert_chain_verifies, together
from tests.audit_triggers import POSTGRES_THREADS
from tests.awards.test_lock_order import staged
from tests.awards.test_payments_concurrency import refusals_only

from .plan_builders import Implementing, implementing
from .test_plan_change_services import request

pytestmark = POSTGRES_THREADS


@pytest.fixture
def award(programme) -> Implementing:
    return implementing(programme)


def _versions(award: Implementing) -> list[int]:
    return list(
        PlanVersion.objects.filter(application=award.application)
        .order_by("number")
        .values_list("number", flat=True)
    )


def test_an_approval_and_a_refusal_at_once_decide_the_change_once(award):
    change = request(award)
    outcomes = together(
        lambda: plan_changes.approve_change(actor=award.secretariat, change=change),
        lambda: plan_changes.refuse_change(
            actor=award.secretariat, change=change, reason="根拠が不足しています"
        ),
    )

    assert refusals_only(outcomes) == []
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(refused) == 1 and "すでに決定されています" in str(refused[0])
    change.refresh_from_db()
    assert _versions(award) == ([1] if change.status == PlanChangeStatus.APPROVED else [])
    decided = AuditEntry.objects.filter(
        action__in=["reporting.plan_change_approved", "reporting.plan_change_refused"]
    )
    assert decided.count() == 1
    assert_chain_verifies()


def test_two_approvals_of_one_change_at_once_make_one_version(award):
    change = request(award)
    outcomes = together(
        lambda: plan_changes.approve_change(actor=award.secretariat, change=change),
        lambda: plan_changes.approve_change(actor=award.secretariat, change=change),
    )

    assert refusals_only(outcomes) == []
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(refused) == 1 and "すでに決定されています" in str(refused[0])
    assert _versions(award) == [1]
    assert AuditEntry.objects.filter(action="reporting.plan_change_approved").count() == 1
    assert_chain_verifies()


def test_approvals_one_after_the_other_number_the_versions_without_a_gap(award):
    """Approve, request against the new plan, approve again, with the second request racing the
    first approval: versions 1 and 2, the second made from the first's lines."""
    first = request(award)
    outcomes = staged(
        Application,
        award.application.pk,
        lambda: plan_changes.approve_change(actor=award.secretariat, change=first),
        lambda: request(award, amounts=(2_000_000, 2_000_000), reasons="機器を減らすため"),
    )

    assert refusals_only(outcomes) == []
    assert [o.error for o in outcomes] == [None, None]
    # The request waited for the approval and was made against the plan it produced.
    second = outcomes[1].value
    assert second.base_version == 1
    plan_changes.approve_change(actor=award.secretariat, change=second)
    assert _versions(award) == [1, 2]
    assert [line["eligible_amount_yen"] for line in current_plan(award.application).budget_lines] == [
        2_000_000,
        2_000_000,
    ]
    assert_chain_verifies()


def test_a_request_first_is_refused_while_the_change_it_raced_is_open(award):
    first = request(award)
    outcomes = staged(
        Application,
        award.application.pk,
        lambda: request(award, amounts=(2_000_000, 2_000_000), reasons="機器を減らすため"),
        lambda: plan_changes.approve_change(actor=award.secretariat, change=first),
    )

    assert refusals_only(outcomes) == []
    asked, approved = outcomes
    assert asked.error is not None and "審査中の計画変更があります" in str(asked.error)
    assert approved.error is None
    assert _versions(award) == [1]
    assert PlanChange.objects.count() == 1
    assert_chain_verifies()
