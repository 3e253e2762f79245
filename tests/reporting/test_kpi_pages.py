"""The KPI pages: the applicant files a year through the form; bad numbers are refused on the
page; the advisor reads and may not file; the company's chart and table; the cohort page stays
flat as companies are added."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.reporting import kpi
from dxgrant.reporting.kpi_models import KpiReport, KpiYear
from dxgrant.reporting.services import kpi_reports
from tests.factories.accounts import signed_in
from tests.factories.support import representative_of
from tests.pages.reporting_kpi import award_in_verification

pytestmark = pytest.mark.django_db

GOOD = {
    "sales_yen": "３８０，０００，０００円",
    "operating_profit_yen": "20,000,000",
    "personnel_costs_yen": "60,000,000",
    "depreciation_yen": "5,000,000",
    "employees": "１５.０",
    "free_0": "6.0",
}


@pytest.fixture
def award(programme):
    return award_in_verification(programme)


def test_the_applicant_files_the_baseline_through_the_form(award):
    client = signed_in(representative_of(award.engagement))
    form = client.get(f"/applications/{award.pk}/kpi/0/")
    assert form.status_code == 200 and "廃棄ロス率（%）" in form.content.decode()
    response = client.post(f"/applications/{award.pk}/kpi/0/", GOOD)
    assert response.status_code == 302 and response["Location"] == f"/applications/{award.pk}/kpi/"
    report = KpiReport.objects.get()
    assert (report.sales_yen, report.employees, report.labour_productivity_yen) == (
        380_000_000,
        D("15.0"),
        5_666_667,
    )
    page = client.get(f"/applications/{award.pk}/kpi/").content.decode()
    assert "5,666,667" in page and 'role="img"' in page


def test_a_loss_is_typed_with_a_triangle(award):
    client = signed_in(representative_of(award.engagement))
    client.post(f"/applications/{award.pk}/kpi/0/", GOOD | {"operating_profit_yen": "△3,000,000"})
    assert KpiReport.objects.get().operating_profit_yen == -3_000_000


def test_zero_employees_is_refused_on_the_page_and_nothing_is_saved(award):
    client = signed_in(representative_of(award.engagement))
    response = client.post(f"/applications/{award.pk}/kpi/0/", GOOD | {"employees": "0", "sales_yen": "abc"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "売上高：数字で入力してください" in body
    assert not KpiReport.objects.exists()
    response = client.post(f"/applications/{award.pk}/kpi/0/", GOOD | {"employees": "0"})
    assert (
        response.status_code == 400
        and "従業員が0人では労働生産性を計算できません" in response.content.decode()
    )
    assert not KpiReport.objects.exists()


def test_the_advisor_reads_and_may_not_file(award):
    client = signed_in(award.engagement.lead_advisor)
    page = client.get(f"/applications/{award.pk}/kpi/")
    assert page.status_code == 200 and "申請者ご本人のみ" in page.content.decode()
    assert client.post(f"/applications/{award.pk}/kpi/0/", GOOD).status_code == 403
    assert client.get(f"/applications/{award.pk}/kpi/0/").status_code == 403
    assert not KpiReport.objects.exists()


def test_the_company_chart_shows_actual_and_target_with_the_numbers_in_the_table(award):
    applicant = representative_of(award.engagement)
    years = {y.year: y for y in KpiYear.objects.filter(application=award)}
    base = kpi.Figures(380_000_000, 20_000_000, 60_000_000, 5_000_000, D("15.0"))
    year1 = kpi.Figures(400_000_000, 24_000_000, 62_000_000, 6_000_000, D("15.5"))
    kpi_reports.file_kpi_report(actor=applicant, kpi_year=years[0], filing=kpi_reports.Filing(base, [D("6")]))
    kpi_reports.file_kpi_report(
        actor=applicant, kpi_year=years[1], filing=kpi_reports.Filing(year1, [D("4.4")])
    )
    body = signed_in(applicant).get(f"/applications/{award.pk}/kpi/").content.decode()
    assert body.count('class="line"') == 2  # actual and the plan's target
    # The target of year 1 in yen: 5,666,667 grown by 5.8%.
    assert "5,995,334円/人" in body
    assert "5,935,484" in body and "4.7%" in body and "未達成" in body


def _cohort_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/staff/kpi/").status_code == 200
    return len(ctx)


def test_the_cohort_page_stays_flat_as_companies_are_added(programme, make_user):
    client = signed_in(make_user(Role.SECRETARIAT))
    one = award_in_verification(programme)
    kpi_reports.file_kpi_report(
        actor=representative_of(one.engagement),
        kpi_year=KpiYear.objects.get(application=one, year=0),
        filing=kpi_reports.Filing(kpi.Figures(1, 1, 1, 1, D("1")), [D("1")]),
    )
    few = _cohort_queries(client)
    for _ in range(4):
        award_in_verification(programme)
    body = client.get("/staff/kpi/").content.decode()
    assert _cohort_queries(client) == few
    assert "基準年比の中央値" in body and 'role="img"' in body


def test_the_cohort_page_shows_the_share_met_and_median(programme, make_user):
    for people in ("10.0", "20.0"):
        award = award_in_verification(programme)
        applicant = representative_of(award.engagement)
        years = {y.year: y for y in KpiYear.objects.filter(application=award)}
        base = kpi.Figures(0, 20_000_000, 60_000_000, 5_000_000, D("15.0"))
        kpi_reports.file_kpi_report(
            actor=applicant, kpi_year=years[0], filing=kpi_reports.Filing(base, [D("6")])
        )
        later = kpi.Figures(0, 20_000_000, 60_000_000, 5_000_000, D(people))
        kpi_reports.file_kpi_report(
            actor=applicant, kpi_year=years[1], filing=kpi_reports.Filing(later, [D("4")])
        )
    body = signed_in(make_user(Role.SECRETARIAT)).get("/staff/kpi/").content.decode()
    # +50.0% and -25.0%: one of two met +5.8%; the median is +12.5%.
    assert "50.0%（1/2）" in body and "12.5%" in body
