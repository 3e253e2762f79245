"""The cancellation and repayment pages: the form on the staff application page, the list of
demands, recording a repayment, the applicant's view; who may; query counts that stay flat."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import Cancellation, Instalment, Repayment, RepaymentDemand
from dxgrant.awards.services import cancellation, final_amount
from tests.factories.accounts import signed_in
from tests.factories.support import representative_of

from .cancellation_builders import paid_award
from .final_amount_builders import paid_award as final_paid_award

pytestmark = pytest.mark.django_db

REASON = "補助対象経費に虚偽の請求があったため。"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE)


@pytest.fixture
def paid(programme, secretariat) -> Application:
    return paid_award(programme, secretariat, paid_yen=1_000_000, pending_yen=500_000)


@pytest.fixture
def demand(paid, secretariat) -> RepaymentDemand:
    cancellation.cancel_decision(actor=secretariat, application=paid, reason=REASON)
    return RepaymentDemand.objects.get(application=paid)


def test_the_secretariat_sees_the_form_on_the_staff_application_page(paid, secretariat, client_for):
    page = _text(signed_in(secretariat).get(f"/staff/applications/{paid.pk}/"))
    assert 'id="cancel-decision"' in page and f"/staff/awards/applications/{paid.pk}/cancel/" in page
    auditor_page = _text(client_for(Role.AUDITOR).get(f"/staff/applications/{paid.pk}/"))
    assert 'id="cancel-decision"' not in auditor_page


@pytest.mark.parametrize("status", sorted(workflow.STATES))
def test_the_form_shows_in_exactly_the_states_the_workflow_cancels_from(status, paid, secretariat):
    Application.objects.filter(pk=paid.pk).update(status=status)
    page = _text(signed_in(secretariat).get(f"/staff/applications/{paid.pk}/"))
    shown = 'id="cancel-decision"' in page
    assert shown == (status in workflow.LIFECYCLE["cancel"].sources)


def test_the_form_follows_the_table_not_a_list_of_its_own(paid, secretariat, monkeypatch):
    # Were cancelling allowed from paid only, the form would show there and not on an accepted award.
    narrowed = dataclasses.replace(workflow.LIFECYCLE["cancel"], sources=frozenset({workflow.PAID}))
    monkeypatch.setitem(workflow.LIFECYCLE.transitions, "cancel", narrowed)
    client = signed_in(secretariat)
    assert 'id="cancel-decision"' in _text(client.get(f"/staff/applications/{paid.pk}/"))
    Application.objects.filter(pk=paid.pk).update(status=workflow.ACCEPTED)
    assert 'id="cancel-decision"' not in _text(client.get(f"/staff/applications/{paid.pk}/"))


def test_cancelling_from_the_page(paid, secretariat, django_capture_on_commit_callbacks):
    client = signed_in(secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/awards/applications/{paid.pk}/cancel/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/staff/applications/{paid.pk}/"
    paid.refresh_from_db()
    assert paid.status == workflow.REPAYMENT_DUE
    assert len(mail.outbox) >= 1
    page = _text(client.get(response["Location"]))
    assert "交付決定を取り消しました" in page and 'id="cancel-decision"' not in page


def test_no_reason_is_refused_on_the_form(paid, secretariat):
    response = signed_in(secretariat).post(f"/staff/awards/applications/{paid.pk}/cancel/", {"reason": " "})
    assert response.status_code == 400
    assert "交付決定を取り消す理由を入力してください。" in _text(response)
    paid.refresh_from_db()
    assert paid.status == workflow.PAID and not Cancellation.objects.exists()


def test_a_state_refusal_is_shown_on_the_form(paid, secretariat):
    Application.objects.filter(pk=paid.pk).update(status=workflow.IN_REVIEW)
    response = signed_in(secretariat).post(
        f"/staff/awards/applications/{paid.pk}/cancel/", {"reason": REASON}
    )
    assert response.status_code == 400
    assert "交付決定を取り消せるのは" in _text(response)
    assert not Cancellation.objects.exists()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.AUDITOR, Role.ADVISOR, Role.APPLICANT])
def test_forged_cancellations_are_refused(paid, client_for, role):
    response = client_for(role).post(f"/staff/awards/applications/{paid.pk}/cancel/", {"reason": REASON})
    assert response.status_code == 403
    paid.refresh_from_db()
    assert paid.status == workflow.PAID and not Cancellation.objects.exists()


def test_the_applicant_and_advisor_cannot_cancel_their_own(paid):
    for person in (representative_of(paid.engagement), paid.engagement.lead_advisor):
        response = signed_in(person).post(f"/staff/awards/applications/{paid.pk}/cancel/", {"reason": REASON})
        assert response.status_code == 403
    assert not Cancellation.objects.exists()


def test_the_list_shows_each_demands_figures(demand, finance, client_for):
    RepaymentDemand.objects.filter(pk=demand.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=11),
        demanded_on=timezone.localdate() - dt.timedelta(days=31),
    )
    page = _text(signed_in(finance).get("/staff/awards/repayments/"))
    # Due 11 days ago: paid today, 10 days late (today is not charged) on 1,000,000円 at
    # 10.95%: 3,000円.
    for shown in ("1,000,000円", "3,000円", "1,003,000円", f'action="/staff/awards/repayments/{demand.pk}/"'):
        assert shown in page
    for role in (Role.SECRETARIAT, Role.AUDITOR):
        read = _text(client_for(role).get("/staff/awards/repayments/"))
        assert "3,000円" in read and f"/staff/awards/repayments/{demand.pk}/" not in read


def test_finance_records_repayments_until_settled(demand, finance):
    client = signed_in(finance)
    today = timezone.localdate().isoformat()
    refused = client.post(
        f"/staff/awards/repayments/{demand.pk}/", {"amount_yen": "1,000,001", "paid_on": today}
    )
    assert refused.status_code == 400
    assert "返還額が残額を超えています" in _text(refused)
    assert not Repayment.objects.exists()
    bad = client.post(f"/staff/awards/repayments/{demand.pk}/", {"amount_yen": "", "paid_on": ""})
    assert (
        bad.status_code == 400
        and "返還額を入力してください。" in _text(bad)
        and "納付日を入力してください。" in _text(bad)
    )
    done = client.post(
        f"/staff/awards/repayments/{demand.pk}/", {"amount_yen": "１，０００，０００", "paid_on": today}
    )
    assert done.status_code == 302
    demand.refresh_from_db()
    assert demand.settled_on == timezone.localdate()
    assert demand.application.status == workflow.REPAID
    page = _text(client.get(done["Location"]))
    assert "返還請求は完済となりました" in page and "完済" in page


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR, Role.APPLICANT, Role.ADVISOR])
def test_only_finance_records(demand, client_for, role):
    response = client_for(role).post(
        f"/staff/awards/repayments/{demand.pk}/",
        {"amount_yen": "1000", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert not Repayment.objects.exists()


def test_a_missing_demand_is_404(finance):
    assert signed_in(finance).get("/staff/awards/repayments/999999/").status_code == 404


def test_the_applicant_sees_the_cancellation_and_the_demand(demand):
    application = demand.application
    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert 'id="cancellation"' in page and REASON in page
    assert "1,000,000円" in page and "返還請求" in page
    assert f"{demand.due_on.year}年{demand.due_on.month}月{demand.due_on.day}日" in page
    # Where to pay: the association's account from settings, and the payer name to use.
    digits = "".join(c for c in application.receipt_number if c.isdigit())[-6:]
    assert "返還金の振込先" in page and "0001 ﾐｽﾞﾎ" in page and "普通 1234567" in page
    assert f"受付番号の数字 {digits} を入れてください" in page


def test_the_account_to_repay_to_is_not_shown_once_settled(demand, finance):
    application = demand.application
    cancellation.record_repayment(
        actor=finance, demand=demand, amount_yen=demand.principal_yen, paid_on=timezone.localdate()
    )
    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert "完済" in page and "返還金の振込先" not in page


def test_without_the_operator_account_configured_no_account_is_shown(demand, settings):
    settings.DXGRANT_TRANSFER_BANK_CODE = ""
    application = demand.application
    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert "返還請求" in page and "返還金の振込先" not in page


def test_a_cancellation_without_payment_shows_no_demand(programme, secretariat):
    application = paid_award(programme, secretariat, paid_yen=1_000_000, pending_yen=0)
    Application.objects.filter(pk=application.pk).update(status=workflow.ACCEPTED)
    Instalment.objects.filter(application=application).update(status="due", paid_on=None)
    cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert 'id="cancellation"' in page and REASON in page and "返還額" not in page


def test_the_list_stays_flat_as_demands_grow(programme, secretariat, finance):
    client = signed_in(finance)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/staff/awards/repayments/").status_code == 200
        return len(ctx)

    cancellation.cancel_decision(
        actor=secretariat, application=paid_award(programme, secretariat), reason=REASON
    )
    small = count()
    for _ in range(3):
        application = paid_award(programme, secretariat)
        cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)
        Repayment.objects.create(
            demand=application.repayment_demands.get(),
            amount_yen=10,
            paid_on=timezone.localdate(),
            recorded_by=finance,
        )
    assert count() == small


def test_in_english_when_chosen(demand, finance, secretariat, programme):
    client = signed_in(finance)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _text(client.get("/staff/awards/repayments/"))
    assert "Repayment demands" in page and "Late charge to date" in page
    refused = client.post(f"/staff/awards/repayments/{demand.pk}/", {"amount_yen": "0", "paid_on": ""})
    assert "Enter the amount repaid as 1 yen or more." in _text(refused)
    other = paid_award(programme, secretariat)
    staff = signed_in(secretariat)
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Cancel the award" in _text(staff.get(f"/staff/applications/{other.pk}/"))
    response = staff.post(f"/staff/awards/applications/{other.pk}/cancel/", {"reason": ""})
    assert "Enter the reason for cancelling the award." in _text(response)


def test_the_applicants_page_reads_the_cancellation_in_three_queries(demand, secretariat):
    """The cancelled application's page: its cancellation, its demand, the demand's repayments
    (awards/_cancellation.html); an application that is not cancelled reads none of them."""
    application = demand.application
    client = signed_in(representative_of(application.engagement))
    url = f"/applications/{application.pk}/"
    client.get(url)

    def count() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in ctx]

    cancelled = count()
    assert sum('FROM "awards_cancellation"' in sql for sql in cancelled) == 1
    assert sum('FROM "awards_repaymentdemand"' in sql for sql in cancelled) == 1
    assert sum('FROM "awards_repayment"' in sql for sql in cancelled) == 1
    Application.objects.filter(pk=application.pk).update(status=workflow.PAID)
    assert not [sql for sql in count() if '"awards_cancellation"' in sql or '"awards_repayment' in sql]


def test_cancelled_after_the_final_amount_both_demands_are_shown(programme, secretariat, finance, client_for):
    """docs/final-amount.md: the final amount's demand and the cancellation's for the rest, on the
    applicant's page (each with its reason, one line saying they add up to what was paid) and as
    two rows of the staff list."""
    application = final_paid_award(programme, secretariat)  # 5,000,000 paid
    final_amount.determine(application=application, eligible_actual_yen=4_500_000, actor=secretariat)
    cancellation.cancel_decision(actor=secretariat, application=application, reason=REASON)

    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert 'id="repayment-two-demands"' in page and "合計が交付済みの額の全額" in page
    assert "返還請求（額の確定、" in page and "2,000,000円" in page
    assert "返還請求（交付決定取消（額の確定による返還請求を除く残り）、" in page and "3,000,000円" in page
    assert page.count("返還金の振込先") == 1

    listing = _text(client_for(Role.FINANCE).get("/staff/awards/repayments/"))
    assert listing.count(application.receipt_number) == 2
    assert "交付決定取消（額の確定による返還請求を除く残り）" in listing and "額の確定" in listing


def test_one_demand_shows_no_two_demands_line(demand):
    application = demand.application
    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert 'id="repayment-two-demands"' not in page and "返還請求（交付決定取消、" in page
