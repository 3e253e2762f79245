"""The secretariat reviews registrations and certifies, renews, suspends, reinstates and revokes
firms; the firm and the applicants it supports are told; a firm not in good standing can do
nothing new while its work so far is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import (
    AdvisorFirm,
    CertificationState,
    FirmReviewEvent,
    PublicStatus,
    RegistrationStatus,
)
from dxgrant.advisors.policies import can_act_as_advisor
from dxgrant.advisors.services import certification, registration
from dxgrant.advisors.validity import validity_end
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Round
from dxgrant.support.models import Engagement, EngagementMember
from tests.factories import UserFactory
from tests.factories.advisors import certified_firm, complete_firm, submitted_firm

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def decide(client: Client, firm: AdvisorFirm, action: str, reason: str = "", **extra: str):
    return client.post(f"/advisors/review/{firm.pk}/decision/", {"action": action, "reason": reason, **extra})


# --- The validity period -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 4, 1), 24, dt.date(2028, 3, 31)),
        (dt.date(2026, 5, 15), 24, dt.date(2028, 5, 14)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # no 31 February: the month's last day
        (dt.date(2027, 12, 31), 2, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 3, 1), 12, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 1), 1, dt.date(2026, 12, 31)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    ],
)
def test_validity_end_counts_months_as_the_civil_code_does(start, months, end):
    assert validity_end(start, months) == end


def test_validity_end_refuses_zero_months():
    with pytest.raises(ValueError):
        validity_end(dt.date(2026, 1, 1), 0)


# --- Review decisions ----------------------------------------------------------------------------


def test_certification_issues_a_number_and_a_validity_period(
    programme, secretariat, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-06-10 10:00:00+09:00", tick=False)
    first, second = submitted_firm(programme), submitted_firm(programme)
    client = staff_client(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, first, "certify", "書類確認済み")
    assert response["Location"] == f"/advisors/review/{first.pk}/"
    decide(client, second, "certify")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.certification_number == "DXA-2026-00001"
    assert second.certification_number == "DXA-2026-00002"
    assert first.registration_status == RegistrationStatus.CERTIFIED
    assert first.valid_from == dt.date(2026, 6, 10) and first.valid_until == dt.date(2028, 6, 9)
    assert first.public_status() == PublicStatus.ACTIVE
    entry = AuditEntry.objects.get(action="advisor_firm.certified", object_id=str(first.pk))
    assert entry.changes["certification_number"] == "DXA-2026-00001" and entry.actor == secretariat
    page = client.get(f"/advisors/review/{first.pk}/").content.decode()
    assert "認定番号は DXA-2026-00001 です" in page
    message = mail.outbox[-1]
    assert "DXA-2026-00001" in message.subject and "2028年6月9日" in message.body
    assert "contact@firm.example.jp" in message.to and first.created_by.email in message.to


def test_numbers_start_again_each_year(programme, secretariat, time_machine):
    time_machine.move_to("2026-12-31 23:00:00+09:00", tick=False)
    certification.certify_firm(actor=secretariat, firm=submitted_firm(programme))
    time_machine.move_to("2027-01-01 09:00:00+09:00", tick=False)
    event = certification.certify_firm(actor=secretariat, firm=submitted_firm(programme))
    assert event.firm.certification_number == "DXA-2027-00001"


def test_changes_requested_reopen_the_registration_with_the_reason(
    programme, secretariat, django_capture_on_commit_callbacks
):
    firm = submitted_firm(programme)
    client = staff_client(secretariat)
    missing_reason = decide(client, firm, "request_changes", "  ")
    assert missing_reason.status_code == 400 and "理由を入力してください。" in missing_reason.content.decode()
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, firm, "request_changes", "報酬規程の写しを添付してください。")
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.CHANGES_REQUESTED
    assert "報酬規程の写しを添付してください。" in mail.outbox[-1].body
    registrant = staff_client(firm.created_by)
    overview = registrant.get(f"/advisors/registration/{firm.pk}/").content.decode()
    assert "事務局から修正の依頼があります" in overview and "報酬規程の写しを添付してください。" in overview
    # The registrant edits and submits again.
    registrant.post(
        f"/advisors/registration/{firm.pk}/competence/",
        {"revision": firm.revision, "qualifications": "診断士", "experience": "40件", "draft": "1"},
    )
    firm.refresh_from_db()
    registrant.post(f"/advisors/registration/{firm.pk}/submit/", {"revision": firm.revision})
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.SUBMITTED and firm.experience == "40件"


def test_a_rejection_is_final_and_gives_the_reason(
    programme, secretariat, django_capture_on_commit_callbacks
):
    firm = submitted_firm(programme)
    with django_capture_on_commit_callbacks(execute=True):
        decide(staff_client(secretariat), firm, "reject", "支援実績が確認できませんでした。")
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.REJECTED and firm.certification_number is None
    assert "不認定" in mail.outbox[-1].subject and "支援実績が確認できませんでした。" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="審査中の登録ではありません"):
        certification.certify_firm(actor=secretariat, firm=firm)
    with pytest.raises(ValidationError, match="提出済みの登録は変更できません"):
        registration.submit_registration(actor=firm.created_by, firm=firm, expected_revision=firm.revision)


def test_only_a_submitted_registration_is_decided(programme, secretariat):
    draft = complete_firm(programme)
    for call in (
        lambda: certification.certify_firm(actor=secretariat, firm=draft),
        lambda: certification.request_registration_changes(actor=secretariat, firm=draft, reason="x"),
        lambda: certification.reject_registration(actor=secretariat, firm=draft, reason="x"),
    ):
        with pytest.raises(ValidationError, match="審査中の登録ではありません"):
            call()
    draft.refresh_from_db()
    assert draft.registration_status == RegistrationStatus.DRAFT


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SECRETARIAT])
def test_only_the_secretariat_decides(programme, client_for, role):
    firm = submitted_firm(programme)
    client = client_for(role)
    response = decide(client, firm, "certify")
    assert response.status_code in (403, 404)
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        certification.certify_firm(actor=client.user, firm=firm)
    # The auditor reads the review page; nobody else but the secretariat does.
    expected = 200 if role == Role.AUDITOR else 403
    assert client.get(f"/advisors/review/{firm.pk}/").status_code == expected
    assert client.get("/advisors/review/").status_code == expected
    if role == Role.AUDITOR:
        assert "認定する" not in client.get(f"/advisors/review/{firm.pk}/").content.decode()


def test_the_review_page_flags_advance_and_large_success_fees(programme, secretariat):
    firm = submitted_firm(
        programme,
        fee_fixed_yen=500_000,
        fee_fixed_timing="before_decision",
        charges_before_decision=True,
        success_fee_percent=15,
        sells_it_products=True,
        it_products_disclosure="関連会社が会計クラウドを販売",
    )
    modest = submitted_firm(programme, fee_fixed_yen=300_000, success_fee_percent=10)
    client = staff_client(secretariat)
    page = client.get(f"/advisors/review/{firm.pk}/").content.decode()
    assert "交付決定前の報酬 500,000円 が目安（300,000円）を超えています。" in page
    assert "成功報酬 15% が目安（10%）を超えています。" in page
    assert "IT製品・サービスを販売しています" in page
    queue = client.get("/advisors/review/").content.decode()
    assert "交付決定前の報酬 500,000円" in queue
    quiet = client.get(f"/advisors/review/{modest.pk}/").content.decode()
    assert "が目安" not in quiet  # at the limit is not over it


# --- After certification --------------------------------------------------------------------------


def engaged_applicants(firm: AdvisorFirm, count: int = 2):
    round_obj = Round.objects.filter(programme=firm.programme).first()
    people = []
    for n in range(count):
        engagement = Engagement.objects.create(
            firm=firm, round=round_obj, lead_advisor=firm.created_by, company_name=f"支援先{n}株式会社"
        )
        person = UserFactory(role=Role.APPLICANT)
        EngagementMember.objects.create(engagement=engagement, user=person)
        people.append(person)
    return people


def test_suspension_stops_new_work_keeps_the_old_and_tells_the_applicants(
    programme, secretariat, django_capture_on_commit_callbacks
):
    firm = certified_firm(programme)
    applicants = engaged_applicants(firm)
    bystander = UserFactory(role=Role.APPLICANT)
    assert tuple(can_act_as_advisor(firm.created_by)) == (True, "")
    client = staff_client(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, firm, "suspend", "通報の調査のため")
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (
        firm.certification_state == CertificationState.SUSPENDED and firm.state_reason == "通報の調査のため"
    )
    assert firm.public_status() == PublicStatus.SUSPENDED
    allowed, reason = can_act_as_advisor(
        type(firm.created_by).objects.get(pk=firm.created_by_id)  # a fresh user: no cached membership
    )
    assert not allowed and "停止" in reason
    assert Engagement.objects.filter(firm=firm).count() == 2  # the work so far is kept
    recipients = sorted(m.to[0] for m in mail.outbox if "認定が停止されました" in m.subject)
    assert recipients == sorted(p.email for p in applicants)
    assert bystander.email not in [m.to[0] for m in mail.outbox]
    firm_mail = [m for m in mail.outbox if "認定の停止" in m.subject and firm.created_by.email in m.to]
    assert len(firm_mail) == 1 and "通報の調査のため" in firm_mail[0].body
    entry = AuditEntry.objects.get(action="advisor_firm.suspended")
    assert entry.changes == {"reason": "通報の調査のため", "state": ["active", "suspended"]}
    page = client.get(f"/advisors/review/{firm.pk}/").content.decode()
    assert "支援先0株式会社" in page and "停止を解除する" in page


def test_the_applicant_emails_go_once_even_if_the_task_runs_twice(
    programme, secretariat, django_capture_on_commit_callbacks
):
    firm = certified_firm(programme)
    engaged_applicants(firm, 1)
    with django_capture_on_commit_callbacks(execute=True):
        event = certification.suspend_certification(actor=secretariat, firm=firm, reason="調査")
    from dxgrant.advisors.tasks import notify_affected_applicants, send_firm_decision

    sent = len(mail.outbox)
    notify_affected_applicants.call(event.pk)
    send_firm_decision.call(event.pk)
    assert len(mail.outbox) == sent


def test_reinstatement_and_revocation_need_reasons_and_revocation_is_final(
    programme, secretariat, django_capture_on_commit_callbacks
):
    firm = certified_firm(programme, state="suspended")
    applicants = engaged_applicants(firm, 1)
    client = staff_client(secretariat)
    decide(client, firm, "reinstate", "")
    firm.refresh_from_db()
    assert firm.certification_state == CertificationState.SUSPENDED
    decide(client, firm, "reinstate", "調査の結果、問題なし")
    firm.refresh_from_db()
    assert firm.certification_state == CertificationState.ACTIVE
    # Revocation needs the explicit confirmation too.
    unconfirmed = decide(client, firm, "revoke", "虚偽の実績報告")
    assert unconfirmed.status_code == 400 and "確認のチェック" in unconfirmed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, firm, "revoke", "虚偽の実績報告", confirm="on")
    firm.refresh_from_db()
    assert firm.certification_state == CertificationState.REVOKED
    assert any("認定が取り消されました" in m.subject and m.to == [applicants[0].email] for m in mail.outbox)
    for call in (
        lambda: certification.reinstate_certification(actor=secretariat, firm=firm, reason="x"),
        lambda: certification.renew_certification(actor=secretariat, firm=firm, reason="x"),
        lambda: certification.suspend_certification(actor=secretariat, firm=firm, reason="x"),
    ):
        with pytest.raises(ValidationError, match="取り消されています"):
            call()
    firm.refresh_from_db()
    assert firm.certification_state == CertificationState.REVOKED
    actions = list(AuditEntry.objects.filter(object_id=str(firm.pk)).values_list("action", flat=True))
    assert actions[-2:] == ["advisor_firm.reinstated", "advisor_firm.revoked"]
    assert "認定を取り消す" not in client.get(f"/advisors/review/{firm.pk}/").content.decode()


def test_renewal_extends_from_the_end_or_from_today_once_expired(programme, secretariat, time_machine):
    time_machine.move_to("2026-06-01 10:00:00+09:00", tick=False)
    firm = certified_firm(programme, today=dt.date(2026, 6, 1))
    firm.valid_until = dt.date(2026, 9, 30)
    firm.save()
    certification.renew_certification(actor=secretariat, firm=firm, reason="更新申請を確認")
    firm.refresh_from_db()
    assert firm.valid_until == dt.date(2028, 9, 30)
    # Expired: the new period starts today.
    time_machine.move_to("2029-01-15 10:00:00+09:00", tick=False)
    assert firm.public_status() == PublicStatus.EXPIRED
    assert not can_act_as_advisor(type(firm.created_by).objects.get(pk=firm.created_by_id)).allowed
    certification.renew_certification(actor=secretariat, firm=firm, reason="再開")
    firm.refresh_from_db()
    assert (firm.valid_from, firm.valid_until) == (dt.date(2029, 1, 15), dt.date(2031, 1, 14))
    assert firm.public_status() == PublicStatus.ACTIVE
    assert FirmReviewEvent.objects.filter(firm=firm, action="renewed").count() == 2
    with pytest.raises(ValidationError, match="理由を入力してください"):
        certification.renew_certification(actor=secretariat, firm=firm, reason=" ")


def test_a_suspended_firm_renewed_stays_suspended(programme, secretariat):
    firm = certified_firm(programme, state="suspended")
    certification.renew_certification(actor=secretariat, firm=firm, reason="期間の更新")
    firm.refresh_from_db()
    assert firm.certification_state == CertificationState.SUSPENDED


def test_the_queue_lists_by_status_and_searches(programme, secretariat):
    waiting = submitted_firm(programme, name="さくらDX株式会社")
    submitted_firm(programme, name="もみじDX株式会社")
    draft = complete_firm(programme, name="つばきDX株式会社")
    client = staff_client(secretariat)
    page = client.get("/advisors/review/").content.decode()
    assert "さくらDX株式会社" in page and "もみじDX株式会社" in page and "つばきDX株式会社" not in page
    assert "審査中（2）" in page and "作成中（1）" in page
    found = client.get("/advisors/review/?status=submitted&q=さくら").content.decode()
    assert "さくらDX株式会社" in found and "もみじDX株式会社" not in found
    drafts = client.get("/advisors/review/?status=draft").content.decode()
    assert "つばきDX株式会社" in drafts
    assert f"/advisors/review/{waiting.pk}/" in page and f"/advisors/review/{draft.pk}/" in drafts
