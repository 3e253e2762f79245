"""Plan change pages: the applicant requests, the advisor may not (403, nothing changes), the
secretariat approves or refuses from its queue, and everyone sees the versions and their diffs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.plan_models import PlanChange, PlanVersion
from dxgrant.reporting.plans import current_plan
from dxgrant.reporting.services import plan_changes
from tests.factories import UserFactory

from .plan_builders import Implementing, implementing

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(programme) -> Implementing:
    return implementing(programme)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(
    award: Implementing, amounts=("2,400,000", "１，６００，０００"), reasons="研修の対象者を増やすため"
) -> dict:
    data = {"line-0": amounts[0], "line-1": amounts[1], "reasons": reasons}
    for i, milestone in enumerate(current_plan(award.application).milestones):
        data[f"milestone-{i}-title"] = milestone["title"]
        data[f"milestone-{i}-due"] = milestone["due"]
    return data


def url(award: Implementing, end: str = "") -> str:
    return f"/applications/{award.application.pk}/plan-changes/{end}"


def test_the_applicant_requests_a_change_from_the_form(award):
    client = signed_in(award.applicant)
    page = client.get(url(award, "new/"))
    assert page.status_code == 200 and "計画変更を申請する" in page.content.decode()
    response = client.post(url(award, "new/"), form_data(award))
    assert response.status_code == 302 and response["Location"] == url(award)
    change = PlanChange.objects.get()
    assert change.amounts == [2_400_000, 1_600_000] and change.requested_by == award.applicant
    shown = client.get(url(award)).content.decode()
    assert "計画変更を申請中です" in shown and "研修の対象者を増やすため" in shown


def test_the_advisor_sees_the_form_but_may_not_send_it(award):
    client = signed_in(award.advisor)
    page = client.get(url(award, "new/")).content.decode()
    assert "計画変更の申請は、申請者ご本人のみが行えます。" in page
    response = client.post(url(award, "new/"), form_data(award))
    assert response.status_code == 403
    assert not PlanChange.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="reporting.plan_change").exists()


def test_a_refused_request_names_the_line_in_japanese_and_english(award):
    client = signed_in(award.applicant)
    response = client.post(url(award, "new/"), form_data(award, amounts=("2,000,000", "2,000,000")))
    assert response.status_code == 400
    body = response.content.decode()
    assert "「データ活用研修」の増額（1,000,000円）" in body and "上限800,000円" in body
    client.cookies["django_language"] = "en"
    english = client.post(
        url(award, "new/"), form_data(award, amounts=("2,000,000", "2,000,000"), reasons="")
    )
    body = english.content.decode()
    assert english.status_code == 400
    assert "Enter the reason for the change." in body
    assert "With the increase of ¥1,000,000 on “データ活用研修”" in body
    assert not PlanChange.objects.exists()


def test_the_secretariat_approves_once_and_everyone_sees_version_1_with_its_diff(award):
    change = plan_changes.request_change(
        actor=award.applicant,
        application=award.application,
        amounts=[2_400_000, 1_600_000],
        milestones=[
            {"title": m["title"], "due": m["due"]} for m in current_plan(award.application).milestones
        ],
        reasons="研修の対象者を増やすため",
    )
    staff = signed_in(award.secretariat)
    queue = staff.get("/staff/plan-changes/").content.decode()
    assert award.application.receipt_number in queue
    detail = staff.get(f"/staff/plan-changes/{change.pk}/").content.decode()
    assert "変更された明細：データ活用研修" in detail and "1,600,000" in detail
    decide = f"/staff/plan-changes/{change.pk}/decide/"
    first = staff.post(decide, {"decision": "approve", "reason": ""})
    second = staff.post(decide, {"decision": "approve", "reason": ""})
    assert (first.status_code, second.status_code) == (302, 302)
    assert PlanVersion.objects.count() == 1
    assert "すでに決定されています" in staff.get(second["Location"]).content.decode()
    for person in (award.applicant, award.advisor):
        page = signed_in(person).get(url(award)).content.decode()
        assert "第1版" in page and "（現在の計画）" in page
        assert "変更された明細：データ活用研修" in page and "承認" in page
    # The open queue is empty now; the decided list shows it.
    assert award.application.receipt_number not in staff.get("/staff/plan-changes/").content.decode()
    decided = staff.get("/staff/plan-changes/?status=approved").content.decode()
    assert award.application.receipt_number in decided


def test_a_refusal_needs_a_reason(award):
    change = plan_changes.request_change(
        actor=award.applicant,
        application=award.application,
        amounts=[2_400_000, 1_600_000],
        milestones=[
            {"title": m["title"], "due": m["due"]} for m in current_plan(award.application).milestones
        ],
        reasons="研修の対象者を増やすため",
    )
    staff = signed_in(award.secretariat)
    response = staff.post(f"/staff/plan-changes/{change.pk}/decide/", {"decision": "refuse", "reason": ""})
    assert response.status_code == 400 and "不承認の理由を入力してください。" in response.content.decode()
    change.refresh_from_db()
    assert change.is_open


def test_an_auditor_reads_the_queue_but_cannot_decide(award):
    change = plan_changes.request_change(
        actor=award.applicant,
        application=award.application,
        amounts=[2_400_000, 1_600_000],
        milestones=[
            {"title": m["title"], "due": m["due"]} for m in current_plan(award.application).milestones
        ],
        reasons="理由",
    )
    auditor = signed_in(UserFactory(role=Role.AUDITOR))
    assert auditor.get(f"/staff/plan-changes/{change.pk}/").status_code == 200
    assert (
        auditor.post(f"/staff/plan-changes/{change.pk}/decide/", {"decision": "approve"}).status_code == 403
    )
    change.refresh_from_db()
    assert change.is_open


def test_the_queue_filters_by_round_and_stays_flat(programme):
    awards = [implementing(programme) for _ in range(3)]
    for award in awards:
        plan_changes.request_change(
            actor=award.applicant,
            application=award.application,
            amounts=[2_400_000, 1_600_000],
            milestones=[
                {"title": m["title"], "due": m["due"]} for m in current_plan(award.application).milestones
            ],
            reasons="理由",
        )
    staff = signed_in(UserFactory(role=Role.SECRETARIAT))
    staff.get("/staff/plan-changes/")
    with CaptureQueriesContext(connection) as three:
        page = staff.get("/staff/plan-changes/").content.decode()
    assert all(a.application.receipt_number in page for a in awards)
    other = staff.get("/staff/plan-changes/?round=no-such-round").content.decode()
    assert "該当する計画変更の申請はありません。" in other
    code = awards[0].application.round.code
    assert (
        awards[0].application.receipt_number
        in staff.get(f"/staff/plan-changes/?round={code}").content.decode()
    )
    more = implementing(programme)
    plan_changes.request_change(
        actor=more.applicant,
        application=more.application,
        amounts=[2_400_000, 1_600_000],
        milestones=[
            {"title": m["title"], "due": m["due"]} for m in current_plan(more.application).milestones
        ],
        reasons="理由",
    )
    with CaptureQueriesContext(connection) as four:
        staff.get("/staff/plan-changes/")
    assert len(three) == len(four)
