"""The committee's services: the ranking as the secretariat sees it, budget, overrides,
meetings, the decision and the publication, with their refusals and audit entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.decisions import selectors
from dxgrant.decisions.models import Decision, RoundDecision
from dxgrant.decisions.services import budget, deciding, meetings, overrides, publishing
from dxgrant.integrity.models import AuditEntry

pytestmark = pytest.mark.django_db


def outcomes(round_obj, budget_yen=None):
    page = selectors.Committee(round_obj, budget_yen=budget_yen)
    return [
        (r.company_name, str(r.aggregate.score), r.sheet.proposed_yen, r.ranked.outcome) for r in page.rows
    ]


def meet(round_obj, actor):
    return meetings.record_meeting(
        actor=actor,
        round_obj=round_obj,
        held_on=timezone.localdate(),
        members="委員A、委員B",
        minutes="審議した。",
    )


def test_ranking_within_the_budget(committee_round):
    round_obj, _apps = committee_round
    assert outcomes(round_obj) == [
        ("株式会社A", "95.00", 6_000_000, "awarded"),
        ("株式会社D", "92.00", 0, "disqualified"),
        ("株式会社B", "80.00", 5_000_000, "rejected"),
        ("株式会社C", "70.00", 3_000_000, "awarded"),
    ]
    # What if: a larger budget funds B too, and nothing is saved.
    assert [o[3] for o in outcomes(round_obj, budget_yen=14_000_000)] == [
        "awarded",
        "disqualified",
        "awarded",
        "awarded",
    ]
    round_obj.refresh_from_db()
    assert round_obj.budget_yen == 10_000_000


def test_the_snapshot_sets_the_amount_not_the_live_fields(committee_round):
    round_obj, apps = committee_round
    Application.objects.filter(pk=apps["A"].pk).update(
        eligible_total_yen=90_000_000, budget_total_yen=99_000_000
    )
    apps["A"].budget_lines.all().delete()
    assert outcomes(round_obj)[0][2] == 6_000_000


def test_budget_change_is_audited_and_refused_for_others(committee_round, secretariat, make_user):
    round_obj, _apps = committee_round
    with pytest.raises(PermissionDenied):
        budget.set_budget(actor=make_user(Role.AUDITOR), round_obj=round_obj, budget_yen=1)
    with pytest.raises(ValidationError) as exc:
        budget.set_budget(actor=secretariat, round_obj=round_obj, budget_yen=0)
    assert "budget_yen" in exc.value.error_dict
    budget.set_budget(actor=secretariat, round_obj=round_obj, budget_yen=14_000_000)
    entry = AuditEntry.objects.filter(action="decisions.budget_changed").get()
    assert entry.changes == {"from": 10_000_000, "to": 14_000_000}


def test_override_never_raises_the_amount_and_needs_a_reason(committee_round, secretariat, make_user):
    round_obj, apps = committee_round
    with pytest.raises(ValidationError) as exc:
        overrides.record_override(
            actor=secretariat, application=apps["A"], forced_outcome="", decided_yen=6_000_001, reason="増額"
        )
    assert "算定額（6,000,000円）以下" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        overrides.record_override(
            actor=secretariat, application=apps["A"], forced_outcome="", decided_yen=5_000_000, reason=" "
        )
    assert "reason" in exc.value.error_dict
    for role in (Role.ADVISOR, Role.APPLICANT, Role.AUDITOR, Role.REVIEWER):
        with pytest.raises(PermissionDenied):
            overrides.record_override(
                actor=make_user(role), application=apps["A"], forced_outcome="", decided_yen=1, reason="x"
            )
    overrides.record_override(
        actor=secretariat,
        application=apps["A"],
        forced_outcome="",
        decided_yen=4_000_000,
        reason="重複経費を除外",
    )
    assert [o[3] for o in outcomes(round_obj)] == ["awarded", "disqualified", "awarded", "rejected"]
    entry = AuditEntry.objects.filter(action="decisions.override_recorded").get()
    assert entry.changes["decided_yen"] == 4_000_000 and entry.changes["proposed_yen"] == 6_000_000


def test_meeting_refusals(committee_round, secretariat):
    round_obj, _apps = committee_round
    with pytest.raises(ValidationError) as exc:
        meetings.record_meeting(
            actor=secretariat,
            round_obj=round_obj,
            held_on=timezone.localdate() + dt.timedelta(days=1),
            members="",
            minutes="",
        )
    assert set(exc.value.error_dict) == {"held_on", "members", "minutes"}


def test_decide_needs_a_meeting_and_decides_once(committee_round, secretariat, make_user):
    round_obj, apps = committee_round
    with pytest.raises(ValidationError, match="審査会を記録"):
        deciding.decide_round(actor=secretariat, round_obj=round_obj)
    with pytest.raises(PermissionDenied):
        deciding.decide_round(actor=make_user(Role.AUDITOR), round_obj=round_obj)
    meeting = meet(round_obj, secretariat)
    first = deciding.decide_round(actor=secretariat, round_obj=round_obj)
    again = deciding.decide_round(actor=secretariat, round_obj=round_obj)
    assert first.pk == again.pk and RoundDecision.objects.count() == 1
    rows = list(
        Decision.objects.order_by("rank").values_list(
            "application__company_name", "outcome", "amount_yen", "rate"
        )
    )
    assert rows == [
        ("株式会社A", "awarded", 6_000_000, "2/3"),
        ("株式会社D", "disqualified", 0, "2/3"),
        ("株式会社B", "rejected", 0, "2/3"),
        ("株式会社C", "awarded", 3_000_000, "2/3"),
    ]
    assert first.awarded_total_yen == 9_000_000 and first.meeting == meeting
    assert AuditEntry.objects.filter(action="decisions.round_decided").count() == 1
    # Not visible to the applicant's side before publication; nothing emailed; still in review.
    assert selectors.decision_visible_to(apps["A"]) is None
    assert Application.objects.get(pk=apps["A"].pk).status == workflow.IN_REVIEW
    assert not [m for m in mail.outbox if "審査結果" in m.subject]
    # Decided: the budget and overrides are closed.
    with pytest.raises(PermissionDenied):
        budget.set_budget(actor=secretariat, round_obj=round_obj, budget_yen=1)


def test_publish_moves_applications_and_emails_once(
    committee_round, secretariat, django_capture_on_commit_callbacks
):
    round_obj, apps = committee_round
    with pytest.raises(PermissionDenied):
        publishing.publish_round(actor=secretariat, round_obj=round_obj)
    meet(round_obj, secretariat)
    deciding.decide_round(actor=secretariat, round_obj=round_obj)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_round(actor=secretariat, round_obj=round_obj)
    statuses = dict(Application.objects.filter(round=round_obj).values_list("company_name", "status"))
    assert statuses == {
        "株式会社A": "awarded",
        "株式会社B": "rejected",
        "株式会社C": "awarded",
        "株式会社D": "rejected",
    }
    sent = [m for m in mail.outbox if "審査結果" in m.subject]
    for application in apps.values():
        people = {m.user.email for m in application.engagement.members.all()} | {
            application.engagement.lead_advisor.email
        }
        mine = [m for m in sent if application.receipt_number in m.subject]
        assert sorted(m.to[0] for m in mine) == sorted(people)
    assert "交付決定額 6,000,000円" in next(m.body for m in sent if apps["A"].receipt_number in m.subject)
    assert Decision.objects.filter(notified_at__isnull=True).count() == 0
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_round(actor=secretariat, round_obj=round_obj)
    assert len(mail.outbox) == before
    assert selectors.decision_visible_to(apps["A"]).amount_yen == 6_000_000
