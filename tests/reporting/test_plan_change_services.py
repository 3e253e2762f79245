"""Plan change services (reporting/services/plan_changes.py): who may request and decide, the
refusals that change nothing, the new plan version, the audit entries and the emails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.applications import workflow
from dxgrant.decisions.models import Decision
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.plan_models import PlanChange, PlanChangeStatus, PlanVersion
from dxgrant.reporting.plans import current_plan
from dxgrant.reporting.services import plan_changes

from .plan_builders import Implementing, implementing

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(programme) -> Implementing:
    return implementing(programme)


def milestones_of(award: Implementing) -> list[dict]:
    return [
        {"title": m["title"], "due": dt.date.fromisoformat(m["due"])}
        for m in current_plan(award.application).milestones
    ]


def request(
    award: Implementing, amounts=(2_400_000, 1_600_000), actor=None, reasons="研修の対象者を増やすため", **kw
):
    return plan_changes.request_change(
        actor=actor or award.applicant,
        application=award.application,
        amounts=list(amounts),
        milestones=kw.get("milestones", milestones_of(award)),
        reasons=reasons,
    )


def test_the_plan_as_decided_is_version_0_with_two_lines(award):
    plan = current_plan(award.application)
    assert plan.version == 0
    assert [line["eligible_amount_yen"] for line in plan.budget_lines] == [3_000_000, 1_000_000]
    assert len(plan.milestones) == 2


def test_the_applicant_requests_a_change_audited(award):
    change = request(award)
    assert (change.status, change.base_version, change.amounts) == ("open", 0, [2_400_000, 1_600_000])
    entry = AuditEntry.objects.get(action="reporting.plan_change_requested")
    assert entry.changes["amounts"] == [2_400_000, 1_600_000]
    # Nobody is emailed about a request: the secretariat's list is their queue.
    assert mail.outbox == []


def test_the_advisor_may_not_request_and_nothing_changes(award):
    with pytest.raises(PermissionDenied):
        request(award, actor=award.advisor)
    with pytest.raises(PermissionDenied):
        request(award, actor=award.secretariat)
    assert not PlanChange.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="reporting.plan_change").exists()


@pytest.mark.parametrize(
    ("amounts", "field", "words"),
    [
        ((3_000_000, 1_000_001), "line-1", "4,000,001"),
        ((2_100_000, 1_900_000), "line-1", "900,000"),
        ((-1, 1_000_000), "line-0", "0円以上"),
    ],
)
def test_budget_refusals_name_the_line_and_change_nothing(award, amounts, field, words):
    with pytest.raises(ValidationError) as refused:
        request(award, amounts=amounts)
    assert words in " ".join(refused.value.message_dict[field])
    assert not PlanChange.objects.exists()


def test_reasons_are_required(award):
    with pytest.raises(ValidationError) as refused:
        request(award, reasons="  ")
    assert "変更の理由を入力してください。" in refused.value.message_dict["reasons"]
    assert not PlanChange.objects.exists()


def test_a_milestone_outside_the_programme_period_is_refused(award):
    ends = award.application.round.programme_period_ends
    with pytest.raises(ValidationError) as refused:
        request(award, milestones=[{"title": "本稼働", "due": ends + dt.timedelta(days=1)}])
    assert "本稼働" in refused.value.message_dict["milestone-0-due"][0]
    assert not PlanChange.objects.exists()


def test_nothing_changed_is_refused(award):
    with pytest.raises(ValidationError, match="変わっている点がありません"):
        request(award, amounts=(3_000_000, 1_000_000))


def test_one_open_request_at_a_time(award):
    request(award)
    with pytest.raises(ValidationError, match="審査中の計画変更があります"):
        request(award, amounts=(2_500_000, 1_500_000))
    assert PlanChange.objects.count() == 1


def test_only_during_implementation(programme):
    award = implementing(programme, status=workflow.NOTIFIED)
    with pytest.raises(ValidationError, match="事業の実施中"):
        request(award)
    assert not PlanChange.objects.exists()


def test_paid_awards_may_change_their_plan(programme):
    assert request(implementing(programme, status=workflow.PAID)).is_open


def test_not_later_than_the_rounds_days_before_the_end(award):
    round_obj = award.application.round
    round_obj.programme_period_ends = timezone.localdate() + dt.timedelta(days=29)
    round_obj.save(update_fields=["programme_period_ends"])
    award.application.refresh_from_db()
    with pytest.raises(ValidationError, match="申請期限"):
        request(award, milestones=[])
    assert not PlanChange.objects.exists()


def test_approval_makes_version_1_which_is_the_plan_in_force(award, django_capture_on_commit_callbacks):
    moved = [{"title": "システム本稼働", "due": award.application.round.programme_period_ends}]
    change = request(award, milestones=moved)
    assert award.decision is not None
    before = Decision.objects.get(pk=award.decision.pk).amount_yen
    with django_capture_on_commit_callbacks(execute=True):
        plan_changes.approve_change(actor=award.secretariat, change=change)
    change.refresh_from_db()
    assert change.status == PlanChangeStatus.APPROVED and change.version.number == 1
    plan = current_plan(award.application)
    assert plan.version == 1
    assert [line["eligible_amount_yen"] for line in plan.budget_lines] == [2_400_000, 1_600_000]
    assert plan.budget_lines[1]["item"] == "データ活用研修"
    assert plan.milestones == [{"title": "システム本稼働", "due": moved[0]["due"].isoformat()}]
    assert plan.kpis and plan.kpis == change.version.kpis
    assert plan.eligible_total_yen == 4_000_000
    # The decided amount never changes.
    assert Decision.objects.get(pk=award.decision.pk).amount_yen == before == 2_000_000
    assert AuditEntry.objects.filter(action="reporting.plan_change_approved").count() == 1
    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == sorted([award.applicant.email, award.advisor.email])
    assert "承認されました" in mail.outbox[0].subject
    # A second change starts from version 1 and makes version 2.
    second = request(award, amounts=(2_400_000, 1_500_000))
    assert second.base_version == 1
    plan_changes.approve_change(actor=award.secretariat, change=second)
    assert current_plan(award.application).version == 2


def test_a_second_click_approves_nothing(award):
    change = request(award)
    plan_changes.approve_change(actor=award.secretariat, change=change)
    with pytest.raises(ValidationError, match="すでに決定されています"):
        plan_changes.approve_change(actor=award.secretariat, change=change)
    with pytest.raises(ValidationError, match="すでに決定されています"):
        plan_changes.refuse_change(actor=award.secretariat, change=change, reason="x")
    assert PlanVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action="reporting.plan_change_approved").count() == 1


def test_a_crash_during_approval_leaves_nothing_half_done(award, monkeypatch):
    change = request(award)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_changes, "audit_record", broken)
    with pytest.raises(RuntimeError):
        plan_changes.approve_change(actor=award.secretariat, change=change)
    change.refresh_from_db()
    assert change.status == PlanChangeStatus.OPEN and change.version is None
    assert not PlanVersion.objects.exists()
    assert current_plan(award.application).version == 0


def test_refusal_needs_a_reason_and_keeps_the_plan(award, django_capture_on_commit_callbacks):
    change = request(award)
    with pytest.raises(ValidationError) as refused:
        plan_changes.refuse_change(actor=award.secretariat, change=change, reason=" ")
    assert "不承認の理由を入力してください。" in refused.value.message_dict["reason"]
    change.refresh_from_db()
    assert change.is_open
    with django_capture_on_commit_callbacks(execute=True):
        plan_changes.refuse_change(
            actor=award.secretariat, change=change, reason="増額の根拠となる見積書がありません"
        )
    change.refresh_from_db()
    assert change.status == PlanChangeStatus.REFUSED
    assert current_plan(award.application).version == 0
    assert len(mail.outbox) == 2 and "増額の根拠" in mail.outbox[0].body
    # After a refusal a new request can be made.
    assert request(award).is_open


def test_only_the_secretariat_decides(award):
    change = request(award)
    for someone in (award.applicant, award.advisor):
        with pytest.raises(PermissionDenied):
            plan_changes.approve_change(actor=someone, change=change)
        with pytest.raises(PermissionDenied):
            plan_changes.refuse_change(actor=someone, change=change, reason="x")
    change.refresh_from_db()
    assert change.is_open and not PlanVersion.objects.exists()
