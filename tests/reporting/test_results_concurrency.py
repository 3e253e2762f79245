"""Two secretariat approvals of the same results report at once, in real threads on PostgreSQL:
one approval, one final amount, one set of KPI years (the report's row lock in
`results_reports._locked`; without it both approve, and the second final amount fails on the
unique application, or the KPI years are opened twice)."""

from __future__ import annotations

import pytest

from dxgrant.accounts.models import Role
from dxgrant.awards.models import FinalAmount, Instalment
from dxgrant.awards.services import instalments
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.results_models import ResultsReport
from dxgrant.reporting.services import results_reports as service
from tests.applications.test_concurrency import assert_chain_verifies, together
from tests.audit_triggers import POSTGRES_THREADS
from tests.awards.test_payments_concurrency import refusals_only

from .results_builders import accepted_award, complete_report, fresh_code

pytestmark = POSTGRES_THREADS


@pytest.fixture
def confirmed(programme, make_user) -> ResultsReport:
    award = accepted_award(programme, make_user(Role.SECRETARIAT))
    instalments.create_instalments(award.application)  # one payment of 5,000,000円, not yet paid
    report = complete_report(award, actual=(1_000_000, 500_000))
    return service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))


def test_two_approvals_at_once_determine_one_final_amount_and_open_the_years_once(confirmed, make_user):
    one, other = make_user(Role.SECRETARIAT), make_user(Role.SECRETARIAT, email="second@example.jp")
    outcomes = together(
        lambda: service.approve(report=ResultsReport.objects.get(pk=confirmed.pk), actor=one),
        lambda: service.approve(report=ResultsReport.objects.get(pk=confirmed.pk), actor=other),
    )

    assert refusals_only(outcomes) == []
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(refused) == 1 and "この操作はできません" in str(refused[0])
    application = confirmed.application
    (final,) = FinalAmount.objects.filter(application=application)
    # 1,500,000 × 2/3 = 1,000,000: the unpaid instalment is reduced once, to exactly that.
    assert final.final_yen == 1_000_000
    assert list(Instalment.objects.filter(application=application).values_list("amount_yen", flat=True)) == [
        1_000_000
    ]
    years = application.round.rules.reporting.kpi_years
    assert sorted(KpiYear.objects.filter(application=application).values_list("year", flat=True)) == list(
        range(years + 1)
    )
    assert AuditEntry.objects.filter(action="reporting.results_approve").count() == 1
    assert AuditEntry.objects.filter(action="awards.final_amount_determined").count() == 1
    assert_chain_verifies()
