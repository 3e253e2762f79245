"""The final amount on the pages: the applicant's (and advisor's) application page, the
secretariat's application page, the list of repayment demands (its reason column) and recording
a repayment of a final amount's demand; pages of other states ask nothing more."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import RepaymentDemand
from dxgrant.awards.services import cancellation, final_amount
from tests.factories.accounts import signed_in
from tests.factories.support import representative_of

from .cancellation_builders import paid_award as cancellable_award
from .final_amount_builders import paid_award

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def test_the_applicant_and_the_advisor_see_the_final_amount_and_the_remaining_payment(programme, secretariat):
    application = paid_award(programme, secretariat, two=True)
    final_amount.determine(application=application, eligible_actual_yen=6_000_000, actor=secretariat)
    for person in (representative_of(application.engagement), application.engagement.lead_advisor):
        page = _text(signed_in(person).get(f"/applications/{application.pk}/"))
        assert 'id="final-amount"' in page and '<dd id="final-amount-yen">4,000,000円</dd>' in page
        for shown in ("5,000,000円", "6,000,000円", "3,000,000円", "これから支払う額", "1,000,000円"):
            assert shown in page
        assert "返還請求の内容" not in page


def test_the_applicant_sees_the_demand_and_where_to_pay_it(programme, secretariat):
    application = paid_award(programme, secretariat)
    final_amount.determine(application=application, eligible_actual_yen=6_000_000, actor=secretariat)
    page = _text(signed_in(representative_of(application.engagement)).get(f"/applications/{application.pk}/"))
    assert '<dd id="final-amount-yen">4,000,000円</dd>' in page
    assert "確定額を上回るため、差額の返還" in page and "返還金の振込先" in page and "1234567" in page
    # It is not shown as a cancellation.
    assert 'id="cancellation"' not in page


def test_english_is_shown_when_chosen(programme, secretariat):
    application = paid_award(programme, secretariat)
    final_amount.determine(application=application, eligible_actual_yen=6_000_000, actor=secretariat)
    client = signed_in(representative_of(application.engagement))
    client.cookies["django_language"] = "en"
    page = _text(client.get(f"/applications/{application.pk}/"))
    assert "Final amount of the grant" in page and "Eligible actual cost" in page
    assert "額の確定" not in page


def test_the_secretariat_sees_it_on_the_staff_page_with_the_list_of_demands(programme, secretariat):
    application = paid_award(programme, secretariat)
    final_amount.determine(application=application, eligible_actual_yen=6_000_000, actor=secretariat)
    page = _text(signed_in(secretariat).get(f"/staff/applications/{application.pk}/"))
    assert '<dd id="final-amount-yen">4,000,000円</dd>' in page and "/staff/awards/repayments/" in page


def test_the_list_of_demands_names_the_reason_and_finance_records_a_final_amounts_repayment(
    programme, secretariat, make_user
):
    cancelled = cancellable_award(programme, secretariat, paid_yen=1_000_000, pending_yen=500_000)
    cancellation.cancel_decision(actor=secretariat, application=cancelled, reason="虚偽の請求のため。")
    application = paid_award(programme, secretariat)
    final_amount.determine(application=application, eligible_actual_yen=6_000_000, actor=secretariat)
    demand = RepaymentDemand.objects.get(final_amount__isnull=False)
    finance = signed_in(make_user(Role.FINANCE))
    page = _text(finance.get("/staff/awards/repayments/"))
    assert "<td>額の確定</td>" in page and "<td>交付決定取消</td>" in page
    response = finance.post(
        f"/staff/awards/repayments/{demand.pk}/",
        {"amount_yen": "1,000,000", "paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    application.refresh_from_db()
    assert demand.settled_on == timezone.localdate() and application.status == workflow.REPORTING


@pytest.mark.parametrize("status", [workflow.DRAFTING, workflow.NOTIFIED, workflow.CANCELLED])
def test_pages_of_other_states_ask_nothing_about_a_final_amount(programme, secretariat, status):
    application = paid_award(programme, secretariat)
    Application.objects.filter(pk=application.pk).update(status=status)
    client = signed_in(representative_of(application.engagement))
    client.get(f"/applications/{application.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/applications/{application.pk}/")
    assert not [q for q in queries.captured_queries if "awards_finalamount" in q["sql"]]


def test_an_award_without_a_final_amount_reads_one_query_and_no_demand(programme, secretariat):
    application = paid_award(programme, secretariat)
    client = signed_in(representative_of(application.engagement))
    url = f"/applications/{application.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "awards_finalamount"' in s for s in sql) == 1
    assert not [s for s in sql if '"awards_repayment' in s]
    final_amount.determine(application=application, eligible_actual_yen=6_000_000, actor=secretariat)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "awards_repaymentdemand"' in s for s in sql) == 1
    assert sum('FROM "awards_repayment"' in s for s in sql) == 1
