"""/staff/dashboard/: the figures from the database, by round, for the staff who may read them,
and the same number of queries however many applications there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards.models import Instalment, InstalmentStatus
from dxgrant.awards.services import instalments
from dxgrant.programs.models import Programme, Round
from dxgrant.reporting import dashboard as figures
from dxgrant.reporting import kpi
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.models import ProgrammeFigures
from dxgrant.reporting.services import kpi_reports
from dxgrant.reporting.tasks import recount_figures
from tests.awards.payments_builders import awarded
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.rounds import open_round
from tests.factories.support import representative_of
from tests.pages import PAGES
from tests.pages.reporting_kpi import award_in_verification
from tests.test_query_counts import request

pytestmark = pytest.mark.django_db
URL = "/staff/dashboard/"


def _round(programme: Programme, code: str, budget_yen: int) -> Round:
    round_obj = open_round(programme, code)
    Round.objects.filter(pk=round_obj.pk).update(budget_yen=budget_yen)
    round_obj.refresh_from_db()
    return round_obj


def _paid(application) -> int:
    made = instalments.create_instalments(application)
    Instalment.objects.filter(pk=made[0].pk).update(
        status=InstalmentStatus.PAID, paid_on=timezone.localdate()
    )
    return made[0].amount_yen


@pytest.fixture
def data(programme: Programme) -> dict[str, object]:
    staff = UserFactory(role=Role.SECRETARIAT)
    first = _round(programme, "dash-r1", 100_000_000)
    second = _round(programme, "dash-r2", 50_000_000)
    make_application(programme, round_obj=first, status=workflow.DRAFTING)
    make_application(programme, round_obj=first, status=workflow.SCREENING)
    osaka = awarded(programme, amount_yen=30_000_000, by=staff, round_obj=first, status=workflow.PAID)
    osaka.prefecture, osaka.industry = "大阪府", "G"
    osaka.save()
    paid = _paid(osaka)
    awarded(programme, amount_yen=20_000_000, by=staff, round_obj=first, status=workflow.ACCEPTED)
    awarded(programme, amount_yen=7_000_000, by=staff, round_obj=second, status=workflow.NOTIFIED)
    return {"first": first, "second": second, "paid": paid}


def test_the_figures_of_one_round_and_of_every_round(data):
    first = data["first"]
    one = figures.dashboard(first, figures.rounds())
    assert [s.count for s in one.funnel] == [3, 3, 2, 2, 2, 2, 1]
    assert one.budget == figures.Budget(100_000_000, 50_000_000, data["paid"])
    assert [(g.key, g.count, g.amount_yen) for g in one.prefectures] == [
        ("大阪府", 1, 30_000_000),
        ("東京都", 1, 20_000_000),
    ]
    assert [(g.key, g.count) for g in one.industries] == [("E", 1), ("G", 1)]
    every = figures.dashboard(None, figures.rounds())
    assert every.awarded == 3
    assert every.budget.decided_yen == 57_000_000
    assert every.budget.budget_yen == sum(Round.objects.values_list("budget_yen", flat=True))
    assert (
        every.budget.paid_yen == Instalment.objects.filter(status="paid").aggregate(s=Sum("amount_yen"))["s"]
    )


def test_top_prefectures_and_the_rest_as_other():
    groups = [figures.Group(f"p{i}", 20 - i, 1000 * (20 - i)) for i in range(14)]
    shown = figures.top(groups, 10)
    assert [g.key for g in shown] == [*[f"p{i}" for i in range(10)], figures.OTHER]
    assert shown[-1] == figures.Group(figures.OTHER, 10 + 9 + 8 + 7, 1000 * (10 + 9 + 8 + 7))
    assert figures.top(groups[:3], 10) == groups[:3]


def test_the_page_draws_each_chart_with_its_table(data, client_for):
    page = client_for(Role.SECRETARIAT).get(URL, {"round": "dash-r1"}).content.decode()
    assert page.count('role="img"') == 6
    assert page.count("<table") == 6
    assert "申請の状況（提出から交付まで）" in page
    assert "5,000万円" in page  # decided in the first round: 3,000万 + 2,000万
    assert "1.0億円" in page  # its budget
    assert "大阪府" in page and "G 情報通信業" in page
    assert "報告・手続の期限（期限超過と30日以内）" in page and "実績報告" in page
    assert "効果検証：労働生産性の目標を達成した事業者の割合（年度別）" in page
    # The second round's award is not counted in the first's.
    assert "700万円" not in page


def test_every_round_by_default(data, client_for):
    page = client_for(Role.AUDITOR).get(URL).content.decode()
    assert "すべての公募回の集計です。" in page
    assert "5,700万円" in page


def test_a_round_not_in_the_list_is_named_and_every_round_is_shown(data, client_for):
    response = client_for(Role.FINANCE).get(URL, {"round": "no-such-round"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "公募回：選ばれた公募回は見つかりません。一覧から公募回を選ぶか" in page
    assert "5,700万円" in page


def test_english_labels_when_chosen(data, client_for):
    client = client_for(Role.SECRETARIAT)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(URL).content.decode()
    assert "Osaka" in page and "¥57.0 million" in page
    assert (
        "Osaka: 1 award<" in page
        and "Tokyo: 2 awards<" in page
        and "Grant paid: 1 application<" in page
        and "Applications from submission to payment" in page
    )


def test_empty_programme_draws_empty_charts(client_for, programme):
    page = client_for(Role.SECRETARIAT).get(URL).content.decode()
    # The budget of the programme's rounds is still drawn; nothing is due, no KPI year filed.
    assert page.count("chart--empty") == 5
    assert "提出された申請はまだありません。" in page


def test_others_are_refused(client_for):
    for role in (Role.APPLICANT, Role.ADVISOR, Role.REVIEWER):
        assert client_for(role).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_the_page_reads_stored_counts_and_stays_flat_as_applications_grow(data, client_for, programme):
    page = PAGES["dashboard:dashboard"]
    request(client_for, Client(), page)  # the first look counts once and stores the counts
    stored = len(request(client_for, Client(), page))
    staff = UserFactory(role=Role.SECRETARIAT)
    for i, prefecture in enumerate(["北海道", "沖縄県", "京都府", "長野県"]):
        application = awarded(
            programme, amount_yen=1_000_000, by=staff, round_obj=data["first"], status=workflow.PAID
        )
        application.prefecture, application.industry = prefecture, "ABCD"[i]
        application.save()
        _paid(application)
        make_application(
            programme, round_obj=open_round(programme, f"dash-more-{i}"), status=workflow.SUBMITTED
        )
    figures.store(None)  # the task worker's recount
    after = request(client_for, Client(), page)
    assert len(after) == stored == 5  # session, user, rounds, the stored counts, programme (header)
    assert not any("GROUP BY" in q["sql"] for q in after)


def _awarded_count(client) -> str:
    page = client.get(URL).content.decode()
    return page.split("採択件数の合計：", 1)[1].split("件", 1)[0]


def test_stale_counts_are_shown_with_their_time_and_recounted_once(
    data, client_for, programme, settings, django_capture_on_commit_callbacks
):
    settings.DXGRANT_DASHBOARD_MAX_AGE_SECONDS = 300
    client = client_for(Role.SECRETARIAT)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _awarded_count(client) == "3"
        staff = UserFactory(role=Role.SECRETARIAT)
        awarded(programme, amount_yen=1_000_000, by=staff, round_obj=data["first"], status=workflow.PAID)
        # Within the age: the stored counts, with the time they were counted; nothing queued.
        with django_capture_on_commit_callbacks() as queued:
            assert _awarded_count(client) == "3"
        assert queued == []
        assert timezone.localtime(start).strftime("%Y-%m-%d %H:%M") in client.get(URL).content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=301), tick=False):
        # Older: still the stored counts on this page, and one recount queued by the claim...
        with django_capture_on_commit_callbacks() as queued:
            assert _awarded_count(client) == "3"
        assert len(queued) == 1
        with django_capture_on_commit_callbacks() as again:
            client.get(URL)
        assert again == []  # a second look while the recount is queued queues nothing
        queued[0]()  # the worker runs the recount
        assert _awarded_count(client) == "4"
        assert ProgrammeFigures.objects.get(scope="").recount_queued_at is None


def test_a_recount_claim_left_by_a_killed_worker_is_taken_again(data, client_for, settings):
    client = client_for(Role.SECRETARIAT)
    client.get(URL)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ProgrammeFigures.objects.update(counted_at=long_ago, recount_queued_at=long_ago)
    client.get(URL)
    assert ProgrammeFigures.objects.get(scope="").recount_queued_at > long_ago


def test_the_recount_task_forgets_a_deleted_round(data):
    figures.store(data["second"])
    ProgrammeFigures.objects.filter(scope="dash-r2").update(scope="gone")
    recount_figures.call("gone")
    assert not ProgrammeFigures.objects.filter(scope="gone").exists()
    recount_figures.call("dash-r1")
    assert ProgrammeFigures.objects.get(scope="dash-r1").figures["paid_yen"] == data["paid"]


def test_reports_due_and_the_kpi_cohort_are_counted_and_shown(programme, client_for):
    """Two companies in verification: each has filed its baseline and year 1 (+50.0% and −25.0%
    against a +5.8% target), and year 2 and 3 are open; the count shows the KPI years still due
    and the share that met the target, each chart with its numbers in the table."""
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
    counted = figures.count(None)
    kpi_due = next(d for d in counted.due if d.source == "kpi_report")
    # Years 2 and 3 of both companies are open: due later than 30 days (APPROVED_ON + 2 years + 3 months).
    assert (kpi_due.overdue + kpi_due.due_soon + kpi_due.later) == 4
    year1 = next(y for y in counted.kpi_years if y.year == 1)
    assert (year1.filed, year1.with_target, year1.met, year1.share_met, year1.median) == (
        2,
        2,
        1,
        D("50.0"),
        D("12.5"),
    )
    # The stored counts read back the same, Decimals included.
    assert figures.Counted.from_json(counted.to_json()) == counted
    page = client_for(Role.SECRETARIAT).get(URL).content.decode()
    assert 'id="due-heading"' in page and 'id="kpi-heading"' in page
    assert "50.0%（1/2）" in page and "+12.5%" in page
    assert "効果検証の報告" in page  # the kind of due item, named in the table
