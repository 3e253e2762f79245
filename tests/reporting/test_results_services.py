"""The results report's services: who may do what, refusals that change nothing, audit entries,
the workflow's start_reporting, the review and the seam to the final amount."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards.models import FinalAmount
from dxgrant.awards.services import final_amount
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting import results_rules as rules
from dxgrant.reporting import sources
from dxgrant.reporting.kpi_models import KpiYear
from dxgrant.reporting.results_models import APPROVED, CONFIRMED, DRAFT, READY, ResultsEvidence, ResultsReport
from dxgrant.reporting.services import results_reports as service

from .results_builders import accepted_award, complete_report, evidence_dates, fresh_code, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(programme, make_user):
    return accepted_award(programme, make_user(Role.SECRETARIAT))


def test_opening_makes_one_line_per_plan_line_due_after_the_period(award):
    report = service.open_report(application=award.application, actor=award.applicant)
    again = service.open_report(application=award.application, actor=award.advisor)
    assert again.pk == report.pk and ResultsReport.objects.count() == 1
    rnd = award.application.round
    assert (
        (report.due_on - rnd.programme_period_ends).days == rnd.rules.reporting.results_report_due_days == 30
    )
    assert [(x.item, x.planned_eligible_yen) for x in report.lines.all()] == [
        ("クラウド会計ソフト", 1_000_000),
        ("ノートPC", 500_000),
    ]


def test_a_stale_revision_saves_nothing(award):
    report = service.open_report(application=award.application, actor=award.applicant)
    service.save_lines(report=report, actor=award.applicant, revision=0, lines={0: service.LineInput(1)})
    with pytest.raises(ValidationError):
        service.save_lines(report=report, actor=award.advisor, revision=0, lines={0: service.LineInput(999)})
    assert report.lines.get(index=0).actual_yen == 1


def test_a_bad_corporate_number_is_refused_naming_the_field(award):
    report = service.open_report(application=award.application, actor=award.applicant)
    with pytest.raises(ValidationError) as exc:
        service.save_lines(
            report=report, actor=award.applicant, revision=0, lines={0: service.LineInput(5, "x", "12345")}
        )
    assert "line-0-vendor_corporate_number" in exc.value.message_dict
    assert report.lines.get(index=0).actual_yen is None


def test_evidence_checks_the_file_and_the_date(award):
    report = service.open_report(application=award.application, actor=award.applicant)
    line = report.lines.get(index=0)
    with pytest.raises(ValidationError) as exc:
        service.add_evidence(line=line, actor=award.applicant, kind="order", file=pdf(), dated_on=None)
    assert "dated_on" in exc.value.message_dict
    html = type(pdf())("x.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        service.add_evidence(line=line, actor=award.applicant, kind="photo", file=html, dated_on=None)
    assert "file" in exc.value.message_dict
    assert not ResultsEvidence.objects.exists()


def test_the_advisor_marks_ready_and_can_never_confirm(award):
    report = complete_report(award)
    assert report.status == READY
    with pytest.raises(PermissionDenied):
        service.confirm(report=report, actor=award.advisor, step_up=fresh_code(award.advisor))
    report.refresh_from_db()
    award.application.refresh_from_db()
    assert report.status == READY and award.application.status == workflow.PAID


def test_the_applicant_cannot_mark_ready(award):
    report = service.open_report(application=award.application, actor=award.applicant)
    with pytest.raises(PermissionDenied):
        service.mark_ready(report=report, actor=award.applicant)


def test_the_applicant_confirms_with_a_code_once_and_the_award_moves_to_reporting(award):
    report = complete_report(award)
    with pytest.raises(ValidationError):
        service.confirm(report=report, actor=award.applicant, step_up=None)
    report.refresh_from_db()
    assert report.status == READY
    service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    with pytest.raises(ValidationError, match="すでに確定"):
        service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    report.refresh_from_db()
    award.application.refresh_from_db()
    assert report.status == CONFIRMED and award.application.status == workflow.REPORTING
    assert AuditEntry.objects.filter(action="reporting.results_confirm").count() == 1
    assert AuditEntry.objects.filter(action="application.start_reporting").count() == 1


def test_an_accepted_award_with_nothing_paid_also_moves_to_reporting(programme, make_user):
    award = accepted_award(programme, make_user(Role.SECRETARIAT), status=workflow.ACCEPTED)
    report = complete_report(award)
    service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    award.application.refresh_from_db()
    assert award.application.status == workflow.REPORTING


def test_blocking_findings_stop_confirmation(award):
    report = complete_report(award)
    ResultsEvidence.objects.filter(line__index=1, kind="payment").delete()
    with pytest.raises(ValidationError, match="不備"):
        service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    report.refresh_from_db()
    assert report.status == READY


def test_an_edit_after_ready_puts_it_back_to_draft(award):
    report = complete_report(award)
    service.save_outcome(
        report=report,
        actor=award.applicant,
        revision=report.revision,
        kpis={"sales": "130"},
        narrative="導入完了",
    )
    report.refresh_from_db()
    assert report.status == DRAFT and report.kpis == {"sales": "130"}


def test_changes_requested_need_a_comment_and_go_back_to_draft_with_emails(
    award, django_capture_on_commit_callbacks
):
    report = complete_report(award)
    service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    with pytest.raises(ValidationError):
        service.request_changes(report=report, actor=award.secretariat, comments={0: "  "})
    with pytest.raises(PermissionDenied):
        service.request_changes(report=report, actor=award.advisor, comments={0: "x"})
    report.refresh_from_db()
    assert report.status == CONFIRMED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.request_changes(
            report=report, actor=award.secretariat, comments={1: "領収書の宛名が違います"}
        )
    report.refresh_from_db()
    assert report.status == DRAFT
    assert report.lines.get(index=1).review_comment == "領収書の宛名が違います"
    recipients = {m.to[0] for m in mail.outbox}
    assert {award.applicant.email, award.advisor.email} <= recipients
    assert any("領収書の宛名が違います" in m.body for m in mail.outbox)


def test_approval_determines_the_final_amount_completes_the_project_and_opens_the_kpi_years(award):
    # line 0: 800,000 of 1,000,000 planned; line 1: 600,000 against 500,000 planned (capped).
    report = complete_report(award, actual=(800_000, 600_000))
    service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    service.approve(report=report, actor=award.secretariat)
    report.refresh_from_db()
    assert report.status == APPROVED and report.eligible_actual_yen == 1_300_000
    determined = FinalAmount.objects.get(application=report.application)
    assert determined.eligible_actual_yen == 1_300_000
    # 1,300,000 × 2/3 = 866,666, rounded down to 866,000: below the round's floor of 1,000,000, so
    # the rule gives nothing (docs/final-amount.md); nothing was paid yet, so nothing is demanded.
    assert determined.final_yen == 0 and determined.paid_before_yen == 0
    application = report.application
    application.refresh_from_db()
    assert application.status == workflow.COMPLETED
    years = application.round.rules.reporting.kpi_years
    assert sorted(KpiYear.objects.filter(application=application).values_list("year", flat=True)) == list(
        range(years + 1)
    )
    checked = service.check(report)
    assert [f.code for f in checked.lines[1][1]] == [rules.OVER_PLAN]


def test_a_failing_final_amount_approves_nothing(award, monkeypatch):
    report = complete_report(award)
    service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))

    def refuse(**kwargs):
        raise ValidationError("振込中の分割交付があります。")

    monkeypatch.setattr(final_amount, "determine", refuse)
    with pytest.raises(ValidationError):
        service.approve(report=report, actor=award.secretariat)
    report.refresh_from_db()
    assert report.status == CONFIRMED
    assert not KpiYear.objects.exists()


def test_approval_is_refused_before_confirmation(award, monkeypatch):
    report = complete_report(award)
    monkeypatch.setattr(final_amount, "determine", lambda **kw: pytest.fail("called"))
    with pytest.raises(ValidationError):
        service.approve(report=report, actor=award.secretariat)


def test_dates_out_of_order_are_shown_on_the_line(award):
    report = complete_report(award)
    dates = evidence_dates(award.application)
    # The quotation dated on the invoice's day: the order now comes before it.
    ResultsEvidence.objects.filter(line__index=0, kind="quotation").update(dated_on=dates["invoice"])
    checked = service.check(report)
    assert [f.code for f in checked.lines[0][1]] == [rules.DATE_ORDER]
    # Line 1 is over its plan: flagged, not blocking.
    assert [f.code for f in checked.lines[1][1]] == [rules.OVER_PLAN] and checked.blocking


def test_the_results_report_is_a_reminder_source_until_confirmed(award):

    items = sources.SOURCES["results_report"].open_items(award.application.pk)
    rnd = award.application.round
    assert [(i.object_id, (i.due_on - rnd.programme_period_ends).days) for i in items] == [
        (award.application.pk, 30)
    ]
    report = complete_report(award)
    service.confirm(report=report, actor=award.applicant, step_up=fresh_code(award.applicant))
    assert sources.SOURCES["results_report"].open_items(award.application.pk) == []
