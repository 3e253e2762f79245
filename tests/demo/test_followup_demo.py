"""The demo after the grant (demo/past_round.py, demo/followup.py): a past round granted and paid,
its main company through monthly support reports (one disputed and corrected), a plan change,
the results report and a final amount below the decided one, three KPI years; the other companies'
KPI years; a survey most of them answered; the dashboard counted. Seeded once for this module
(without the slow review of the decided round), then read by each test."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards.models import FinalAmount, RepaymentDemand
from dxgrant.demo import followup
from dxgrant.demo.accounts import DEMO_DOMAIN
from dxgrant.demo.past_round import COHORT, PAST_APPLICANT, PAST_ROUND_CODE
from dxgrant.demo.review import demo_reviewers
from dxgrant.demo.seed import seed_demo
from dxgrant.integrity.services import verify_audit_chain
from dxgrant.programs.models import Programme, Round
from dxgrant.programs.services.loading import load_programme_file
from dxgrant.reporting import kpi
from dxgrant.reporting.kpi_models import KpiReport, KpiYear
from dxgrant.reporting.models import ProgrammeFigures
from dxgrant.reporting.plan_models import PlanChange, PlanChangeStatus
from dxgrant.reporting.plans import current_plan
from dxgrant.reporting.results_models import ResultsReport
from dxgrant.reporting.support_models import SupportReport
from dxgrant.surveys.models import Survey, SurveyAnswer

# The module's tests share one seeding (about half a minute): kept on one xdist worker, it is
# seeded once rather than once per worker (pyproject's `--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("followup-demo")

SECRETARIAT = f"secretariat@{DEMO_DOMAIN}"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed the base demo and the follow-up once, in a transaction rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_demo()
            followup.seed_after_the_grant(
                _programme(),
                today=timezone.localdate(),
                secretariat=User.objects.get(email=SECRETARIAT),
                reviewers=demo_reviewers(),
            )
            followup.recount(list(_rounds()))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _programme() -> Programme:
    return load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme


def _rounds():
    return Round.objects.order_by("pk")


def _main() -> Application:
    return Application.objects.get(
        round__code=PAST_ROUND_CODE, engagement__members__user__email=PAST_APPLICANT.email
    )


@pytest.mark.django_db
def test_the_main_company_went_through_everything_after_the_grant(seeded):
    main = _main()
    assert main.status == workflow.COMPLETED
    # Monthly support reports: every month acknowledged, one disputed and superseded by its
    # correction, which the applicant acknowledged.
    reports = SupportReport.objects.filter(application=main)
    statuses = sorted(reports.values_list("status", flat=True))
    assert statuses.count("superseded") == 1
    corrected = reports.get(corrects__isnull=False)
    assert corrected.status == "acknowledged" and corrected.corrects.status == "superseded"
    assert corrected.corrects.dispute_comment
    assert set(statuses) == {"acknowledged", "superseded"}
    assert reports.filter(status="acknowledged").count() >= 10
    # The plan change, approved: the plan in force is version 1.
    change = PlanChange.objects.get(application=main)
    assert change.status == PlanChangeStatus.APPROVED
    assert current_plan(main).version == 1
    # The results report: confirmed with a code, approved; the final amount below the decided one,
    # and the difference demanded back (the grant was paid in full).
    report = ResultsReport.objects.get(application=main)
    assert report.status == "approved" and report.step_up is not None
    final = FinalAmount.objects.get(application=main)
    assert final.final_yen < final.decided_yen
    # finance@ recorded it paid back in full, before it was due.
    demand = RepaymentDemand.objects.get(application=main)
    assert demand.principal_yen == final.paid_before_yen - final.final_yen > 0
    assert demand.settled_on is not None and demand.settled_on <= demand.due_on
    # The baseline and three years filed.
    assert KpiYear.objects.filter(application=main).count() == 4
    assert KpiReport.objects.filter(kpi_year__application=main).count() == 4
    # Labour productivity against the baseline: below the plan's target in year 1, above it after.
    years = list(KpiYear.objects.filter(application=main).select_related("current_report").order_by("year"))
    base = years[0].current_report.labour_productivity_yen
    changes = [
        kpi.change_percent(Decimal(base), Decimal(y.current_report.labour_productivity_yen))
        for y in years[1:]
    ]
    met = [
        kpi.met(change, year.target_growth_percent) for change, year in zip(changes, years[1:], strict=True)
    ]
    assert met == [False, True, True], (changes, [y.target_growth_percent for y in years])
    assert verify_audit_chain().ok


@pytest.mark.django_db
def test_the_cohort_filed_their_kpi_years_and_answered_the_survey(seeded):
    completed = Application.objects.filter(round__code=PAST_ROUND_CODE, status=workflow.COMPLETED)
    assert completed.count() == COHORT
    assert KpiReport.objects.filter(kpi_year__application__in=completed).count() == 4 * COHORT
    # A distribution: year 3's change in labour productivity differs from company to company,
    # some met their target and some did not.
    third = {}
    for year in KpiYear.objects.filter(application__in=completed).select_related("current_report"):
        third.setdefault(year.application_id, {})[year.year] = year
    changes = [
        kpi.change_percent(
            Decimal(years[0].current_report.labour_productivity_yen),
            Decimal(years[3].current_report.labour_productivity_yen),
        )
        for years in third.values()
    ]
    met = [
        kpi.met(change, years[3].target_growth_percent)
        for change, years in zip(changes, third.values(), strict=True)
    ]
    assert len(set(changes)) == COHORT and True in met and False in met
    assert min(c for c in changes if c is not None) < 0 < max(c for c in changes if c is not None)
    survey = Survey.objects.get()
    submitted = survey.invitations.filter(submitted_at__isnull=False).count()
    assert survey.invitations.count() == COHORT and submitted == len(followup.ANSWERS)
    assert survey.invitations.filter(submitted_at__isnull=True, started_at__isnull=False).count() == 1
    assert SurveyAnswer.objects.filter(invitation__survey=survey).count() > 20
    # The dashboard's stored counts were counted after seeding.
    assert ProgrammeFigures.objects.filter(scope=PAST_ROUND_CODE).exists()


@pytest.mark.django_db
def test_the_pages_show_the_demo(seeded):
    main = _main()
    applicant = Client()
    applicant.force_login(User.objects.get(email=PAST_APPLICANT.email))
    page = applicant.get(f"/applications/{main.pk}/kpi/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    staff = Client()
    staff.force_login(User.objects.get(email=SECRETARIAT))
    for url in ["/staff/kpi/", "/staff/dashboard/", "/staff/surveys/", f"/applications/{main.pk}/results/"]:
        assert staff.get(url).status_code == 200, url
