"""The KPI years (services/kpi_reports.py): opening them, filing and correcting, refusals, audit."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting import kpi, kpi_selectors
from dxgrant.reporting.kpi_models import KpiReport, KpiYear
from dxgrant.reporting.services import kpi_reports
from tests.factories.support import representative_of
from tests.pages.reporting_kpi import award_in_verification

pytestmark = pytest.mark.django_db

BASE = kpi.Figures(380_000_000, 20_000_000, 60_000_000, 5_000_000, D("15.0"))
YEAR1 = kpi.Figures(400_000_000, 24_000_000, 62_000_000, 6_000_000, D("15.5"))


def filing(figures=BASE, free=(D("6.0"),)):
    return kpi_reports.Filing(figures, list(free))


@pytest.fixture
def award(programme):
    return award_in_verification(programme, approved_on=dt.date(2028, 2, 29))


def test_opening_makes_the_baseline_and_the_rounds_years_with_their_due_dates(award):
    years = list(KpiYear.objects.filter(application=award).order_by("year"))
    # Default: three years, due three months after each anniversary of 2028-02-29; year 0 with year 1.
    assert [(y.year, y.due_on) for y in years] == [
        (0, dt.date(2029, 5, 29)),
        (1, dt.date(2029, 5, 29)),
        (2, dt.date(2030, 5, 29)),
        (3, dt.date(2031, 5, 29)),
    ]
    # The plan's labour productivity row 5,200 → 5,500 / 5,900 / 6,300 as growth.
    assert [y.target_growth_percent for y in years] == [None, D("5.8"), D("13.5"), D("21.2")]
    entry = AuditEntry.objects.get(action="reporting.kpi_years_opened")
    assert entry.changes["due"]["3"] == "2031-05-29"


def test_opening_again_changes_nothing(award):
    again = kpi_reports.open_kpi_years(application=award, approved_on=dt.date(2030, 1, 1))
    assert [y.due_on for y in again][0] == dt.date(2029, 5, 29)
    assert KpiYear.objects.filter(application=award).count() == 4
    assert AuditEntry.objects.filter(action="reporting.kpi_years_opened").count() == 1


def test_the_applicant_files_and_corrects_a_year_the_last_revision_counts(award):
    applicant = representative_of(award.engagement)
    year0 = KpiYear.objects.get(application=award, year=0)
    first = kpi_reports.file_kpi_report(actor=applicant, kpi_year=year0, filing=filing())
    assert (first.revision, first.value_added_yen, first.labour_productivity_yen) == (
        1,
        85_000_000,
        5_666_667,
    )
    corrected = kpi_reports.file_kpi_report(
        actor=applicant,
        kpi_year=year0,
        filing=filing(kpi.Figures(380_000_000, 20_000_000, 60_000_000, 5_000_000, D("17.0"))),
    )
    year0.refresh_from_db()
    assert corrected.revision == 2 and year0.current_report == corrected
    assert KpiReport.objects.filter(kpi_year=year0).count() == 2  # the first is kept
    assert [
        e.action for e in AuditEntry.objects.filter(action__startswith="reporting.kpi_").order_by("pk")
    ] == [
        "reporting.kpi_years_opened",
        "reporting.kpi_filed",
        "reporting.kpi_corrected",
    ]
    assert corrected.free_values == [{"name": "廃棄ロス率", "unit": "%", "value": "6.0"}]


def test_a_double_submit_files_once(award):
    applicant = representative_of(award.engagement)
    year1 = KpiYear.objects.get(application=award, year=1)
    token = uuid.uuid4()
    a = kpi_reports.file_kpi_report(
        actor=applicant, kpi_year=year1, filing=filing(YEAR1), submission_token=token
    )
    b = kpi_reports.file_kpi_report(
        actor=applicant, kpi_year=year1, filing=filing(YEAR1), submission_token=token
    )
    assert a.pk == b.pk and KpiReport.objects.filter(kpi_year=year1).count() == 1


@pytest.mark.parametrize("role", ["advisor", Role.SECRETARIAT])
def test_the_advisor_and_staff_may_not_file(award, make_user, role):
    actor = award.engagement.lead_advisor if role == "advisor" else make_user(role)
    year0 = KpiYear.objects.get(application=award, year=0)
    with pytest.raises(PermissionDenied):
        kpi_reports.file_kpi_report(actor=actor, kpi_year=year0, filing=filing())
    assert not KpiReport.objects.exists()


def test_bad_figures_are_refused_by_field_and_nothing_is_saved(award):
    applicant = representative_of(award.engagement)
    year0 = KpiYear.objects.get(application=award, year=0)
    with pytest.raises(ValidationError) as refused:
        kpi_reports.file_kpi_report(
            actor=applicant,
            kpi_year=year0,
            filing=filing(kpi.Figures(-1, 0, 1, 1, D("0")), free=(None,)),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"sales_yen", "employees", "free_0"}
    assert "従業員数" in errors["employees"][0] and "廃棄ロス率" in errors["free_0"][0]
    assert not KpiReport.objects.exists()
    assert not AuditEntry.objects.filter(action="reporting.kpi_filed").exists()


def test_a_cancelled_award_files_nothing(award):
    award.status = workflow.CANCELLED
    award.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        kpi_reports.file_kpi_report(
            actor=representative_of(award.engagement),
            kpi_year=KpiYear.objects.get(application=award, year=0),
            filing=filing(),
        )


def test_the_company_years_compare_with_the_baseline_and_the_plan(award):
    applicant = representative_of(award.engagement)
    years = {y.year: y for y in KpiYear.objects.filter(application=award)}
    kpi_reports.file_kpi_report(actor=applicant, kpi_year=years[0], filing=filing())
    kpi_reports.file_kpi_report(actor=applicant, kpi_year=years[1], filing=filing(YEAR1, (D("4.4"),)))
    plan_rows = kpi_reports.free_kpis(kpi_reports.plan_of(award))
    rows = kpi_selectors.company_years(award, plan_rows, today=dt.date(2030, 6, 1))
    year1 = rows[1]
    # 92,000,000 / 15.5 = 5,935,484 against 5,666,667: +4.7%, target +5.8%: not met.
    assert year1.report.labour_productivity_yen == 5_935_484
    assert (year1.change, year1.annual_growth, year1.target, year1.met) == (
        D("4.7"),
        D("4.7"),
        D("5.8"),
        False,
    )
    assert year1.free[0]["met"] is True  # 4.4 % against a target of 4.5 % (a reduction)
    assert rows[2].overdue and not rows[3].overdue


def test_the_cohort_in_one_pass(programme, django_assert_num_queries):
    awards = [award_in_verification(programme) for _ in range(3)]
    for award, people in zip(awards, ("10.0", "15.0", "20.0"), strict=True):
        applicant = representative_of(award.engagement)
        years = {y.year: y for y in KpiYear.objects.filter(application=award)}
        kpi_reports.file_kpi_report(actor=applicant, kpi_year=years[0], filing=filing())
        kpi_reports.file_kpi_report(
            actor=applicant,
            kpi_year=years[1],
            filing=filing(kpi.Figures(0, 20_000_000, 60_000_000, 5_000_000, D(people))),
        )
    with django_assert_num_queries(1):
        cohort = kpi_selectors.cohort_years(None, today=dt.date(2030, 1, 1))
    year1 = cohort[1]
    # 85,000,000 over 10, 15 and 20 people against 5,666,667: +50.0%, 0.0%, -25.0%; target +5.8%.
    assert (year1.opened, year1.filed, year1.overdue) == (3, 3, 0)
    assert year1.figures.changes == (D("-25.0"), D("0.0"), D("50.0"))
    assert (year1.figures.met, year1.figures.with_target, year1.figures.share_met) == (1, 3, D("33.3"))
    assert year1.figures.median == D("0.0")
    assert cohort[2].overdue == 3
    assert kpi_selectors.kpi_improvement(None).year == 1
