"""The results report (実績報告): opened from the plan in force, edited by the applicant's people
and the advisor, marked ready by the advisor, confirmed by the applicant with a code from their
authenticator app, reviewed by the secretariat (approve, or request changes with comments per
line). Approval computes the eligible actual cost and hands it to the final amount (額の確定)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import StepUpAttempt, StepUpPurpose, User
from dxgrant.accounts.services import step_up as step_up_codes
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services.transitions import transition
from dxgrant.awards.services import final_amount
from dxgrant.core.editing import expect_revision
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.core.uploads import save_upload, sha256_of, sniffed_type, unreadable
from dxgrant.integrity.services import audit_record

from .. import results_policies as policies
from .. import results_rules as rules
from .. import results_tasks
from ..plans import current_plan
from ..results_models import (
    CONFIRMED,
    DRAFT,
    LIFECYCLE,
    READY,
    ResultsEvidence,
    ResultsLine,
    ResultsReport,
    results_due_on,
)
from . import kpi_reports

EVIDENCE_FORMATS = ("pdf", "png", "jpeg")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def open_report(*, application: Application, actor: User) -> ResultsReport:
    """The award's report, made on first use with one line per budget line of the plan in force.

    Callers: the applicant's people and the advisor (can_edit). Refused: an application not
    accepted, paid or reporting."""
    existing = ResultsReport.objects.filter(application=application).first()
    if existing is not None:
        return existing
    policies.can_edit(actor, application, None).require()
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    existing = ResultsReport.objects.filter(application=locked).first()
    if existing is not None:
        return existing
    plan = current_plan(locked)
    report = ResultsReport.objects.create(
        application=locked, due_on=results_due_on(locked), plan_version=plan.version
    )
    ResultsLine.objects.bulk_create(
        ResultsLine(
            report=report,
            index=i,
            item=str(line.get("item") or line.get("category") or "")[:200],
            planned_eligible_yen=int(line.get("eligible_amount_yen") or 0),
        )
        for i, line in enumerate(plan.budget_lines)
    )
    audit_record(
        actor=actor, action="reporting.results_opened", obj=report, changes={"plan_version": plan.version}
    )
    return report


def _locked_for_edit(report: ResultsReport, actor: User) -> ResultsReport:
    locked = ResultsReport.objects.select_for_update().select_related("application").get(pk=report.pk)
    policies.can_edit(actor, locked.application, locked).require()
    return locked


def _touched(locked: ResultsReport, report: ResultsReport) -> None:
    """An edit puts a report marked ready back to draft (the advisor marks it again)."""
    locked.revision += 1
    if locked.status == READY:
        locked.status = DRAFT
        locked.ready_by = None
        locked.ready_at = None
    locked.save(update_fields=["revision", "status", "ready_by", "ready_at", "updated_at"])
    report.revision, report.status = locked.revision, locked.status


@dataclass(frozen=True)
class LineInput:
    actual_yen: int | None
    vendor_name: str = ""
    vendor_corporate_number: str = ""


@transaction.atomic
def save_lines(
    *, report: ResultsReport, actor: User, revision: int, lines: Mapping[int, LineInput]
) -> ResultsReport:
    """Save the actual amounts and vendors by line index (the autosave and the "save" button;
    nothing is required). Refused: a stale revision (EditConflict) unless the lines already
    hold these values (then nothing changes: no new revision, a report marked ready stays so),
    a corporate number that is not 13 digits, an index not of this report."""
    locked = _locked_for_edit(report, actor)
    by_index = {line.index: line for line in locked.lines.all()}
    errors: dict[str, str] = {}
    for index, given in lines.items():
        if index not in by_index:
            raise ValidationError(_("この実績報告にない経費です。"))
        number = given.vendor_corporate_number.strip()
        if number and not (len(number) == 13 and number.isdigit()):
            errors[f"line-{index}-vendor_corporate_number"] = _(
                "支払先の法人番号は13桁の数字で入力してください（わからない場合は空欄）。"
            )
    if errors:
        raise ValidationError(errors)
    wanted = {
        index: (given.actual_yen, given.vendor_name.strip()[:200], given.vendor_corporate_number.strip())
        for index, given in lines.items()
    }
    changed = [
        by_index[index]
        for index, values in wanted.items()
        if (by_index[index].actual_yen, by_index[index].vendor_name, by_index[index].vendor_corporate_number)
        != values
    ]
    if not changed:
        return locked
    expect_revision(locked.revision, revision)
    for line in changed:
        line.actual_yen, line.vendor_name, line.vendor_corporate_number = wanted[line.index]
    ResultsLine.objects.bulk_update(changed, ["actual_yen", "vendor_name", "vendor_corporate_number"])
    _touched(locked, report)
    audit_record(
        actor=actor,
        action="reporting.results_lines_saved",
        obj=locked,
        changes={str(i): {"actual_yen": g.actual_yen, "vendor": g.vendor_name} for i, g in lines.items()},
    )
    return locked


@transaction.atomic
def save_outcome(
    *, report: ResultsReport, actor: User, revision: int, kpis: Mapping[str, str], narrative: str
) -> ResultsReport:
    """Save the KPIs reached so far (by the plan's KPI keys) and the narrative (the autosave and
    the "save" button). Refused: a stale revision (EditConflict) unless nothing would change,
    a KPI not of the plan, a narrative over 8,000 characters."""
    locked = _locked_for_edit(report, actor)
    known = set(current_plan(locked.application).kpis)
    unknown = set(kpis) - known
    if unknown:
        raise ValidationError(_("計画にない指標です: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    values = {key: str(value).strip()[:100] for key, value in kpis.items()}
    text = narrative.strip()
    if _given(values) == _given(locked.kpis) and text == locked.narrative:
        return locked
    expect_revision(locked.revision, revision)
    locked.kpis, locked.narrative = values, text
    locked.full_clean(exclude=["application", "ready_by", "confirmed_by", "reviewed_by", "step_up"])
    locked.save(update_fields=["kpis", "narrative"])
    _touched(locked, report)
    audit_record(
        actor=actor, action="reporting.results_outcome_saved", obj=locked, changes={"kpis": locked.kpis}
    )
    return locked


def _given(kpis: Mapping[str, Any]) -> dict[str, Any]:
    """The KPIs with a value (an empty box and no box are the same)."""
    return {key: value for key, value in kpis.items() if value}


@transaction.atomic
def add_evidence(
    *, line: ResultsLine, actor: User, kind: str, file: File[Any], dated_on: dt.date | None
) -> ResultsEvidence:
    """Attach a file of evidence to a line. Refused: a kind the round does not ask for, a dated
    kind without a date, a file that is not a readable PDF, PNG or JPEG, or over 10 MB."""
    report = (
        ResultsReport.objects.select_for_update().select_related("application__round").get(pk=line.report_id)
    )
    policies.can_edit(actor, report.application, report).require()
    kinds = {k.code: k for k in report.application.round.rules.reporting.evidence}
    if kind not in kinds:
        raise ValidationError({"kind": _("書類の種類を選んでください。")})
    if kinds[kind].dated and dated_on is None:
        raise ValidationError({"dated_on": _("書類の日付を入力してください（例: 2026-05-01）。")})
    if (file.size or 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("ファイルは10MB以下にしてください。")})
    mime = sniffed_type(file, EVIDENCE_FORMATS)
    if mime is None:
        raise ValidationError({"file": _("PDF、PNG、JPEGのいずれかのファイルを選んでください。")})
    problem = unreadable(file, mime, name=file.name or "")
    if problem:
        raise ValidationError({"file": problem})
    evidence = ResultsEvidence(
        line=line,
        kind=kind,
        dated_on=dated_on if kinds[kind].dated else None,
        original_name=(file.name or "file")[:255],
        content_type=mime,
        size=file.size or 0,
        sha256=sha256_of(file),
        uploaded_by=actor,
    )

    def record() -> None:
        _touched(report, report)
        audit_record(
            actor=actor,
            action="reporting.results_evidence_added",
            obj=report,
            changes={
                "line": line.index,
                "kind": kind,
                "date": str(dated_on or ""),
                "sha256": evidence.sha256,
            },
        )

    save_upload(evidence, file, record=record)
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: ResultsEvidence, actor: User) -> None:
    report = (
        ResultsReport.objects.select_for_update()
        .select_related("application")
        .get(pk=evidence.line.report_id)
    )
    policies.can_edit(actor, report.application, report).require()
    audit_record(
        actor=actor,
        action="reporting.results_evidence_removed",
        obj=report,
        changes={"line": evidence.line.index, "kind": evidence.kind, "sha256": evidence.sha256},
    )
    evidence.delete()
    _touched(report, report)


@dataclass(frozen=True)
class Checked:
    """A report's lines with their findings (one computation, for the page and the services)."""

    lines: list[tuple[ResultsLine, list[rules.Finding]]]

    @property
    def blocking(self) -> bool:
        return rules.has_blocking(f for _, f in self.lines)

    @property
    def eligible_yen(self) -> int:
        return rules.eligible_yen((facts_of(line), findings) for line, findings in self.lines)


def facts_of(line: ResultsLine) -> rules.LineFacts:
    evidence: dict[str, list[dt.date | None]] = {}
    for item in line.evidence.all():
        evidence.setdefault(item.kind, []).append(item.dated_on)
    return rules.LineFacts(
        index=line.index,
        item=line.item,
        planned_yen=line.planned_eligible_yen,
        actual_yen=line.actual_yen,
        vendor_name=line.vendor_name,
        vendor_corporate_number=line.vendor_corporate_number,
        evidence=evidence,
    )


def check(report: ResultsReport) -> Checked:
    """Every line's findings (lines and evidence in two queries; the application, round and firm
    are read from `report.application`, which the caller loads with them)."""
    application = report.application
    rnd = application.round
    firm = application.engagement.firm
    relations = rules.Relations(
        firm_name=firm.name,
        firm_corporate_number=firm.corporate_number,
        advisor_sells_items=bool(application.advisor_sells_budget_items),
        disclosure=application.advisor_sales_disclosure,
    )
    period = (rnd.programme_period_starts, rnd.programme_period_ends)
    kinds = rnd.rules.reporting.evidence
    lines = list(report.lines.prefetch_related("evidence"))
    return Checked([(line, rules.check_line(facts_of(line), kinds, period, relations)) for line in lines])


def _locked(report: ResultsReport) -> ResultsReport:
    return (
        ResultsReport.objects.select_for_update(of=("self",))
        .select_related("application__round", "application__engagement__firm")
        .get(pk=report.pk)
    )


def _fire(locked: ResultsReport, name: str, actor: User, changes: Mapping[str, Any] | None = None) -> None:
    if not LIFECYCLE.allows(name, locked.status):
        raise ValidationError(
            _("この実績報告は現在「%(state)s」のため、この操作はできません。")
            % {"state": LIFECYCLE.label(locked.status)}
        )
    before = locked.status
    locked.status = LIFECYCLE[name].target
    audit_record(
        actor=actor,
        action=f"reporting.results_{name}",
        obj=locked,
        changes={"from": before, "to": locked.status, **(changes or {})},
    )


@transaction.atomic
def mark_ready(*, report: ResultsReport, actor: User) -> ResultsReport:
    """The advisor hands the draft to the applicant to confirm. Refused: not a draft."""
    locked = _locked(report)
    policies.can_mark_ready(actor, locked.application).require()
    _fire(locked, "mark_ready", actor)
    locked.ready_by, locked.ready_at = actor, timezone.now()
    locked.save(update_fields=["status", "ready_by", "ready_at", "updated_at"])
    report.status = locked.status
    return locked


@transaction.atomic
def confirm(*, report: ResultsReport, actor: User, step_up: StepUpAttempt | None) -> ResultsReport:
    """The applicant confirms the report; the application moves to reporting (from paid, or from
    accepted when nothing was paid yet; a report confirmed again after changes leaves it there).

    Callers: the applicant's people only (PermissionDenied for the advisor and staff), with a
    fresh code for StepUpPurpose.RESULTS_REPORT. Refused: not marked ready by the advisor (a
    second click finds it confirmed), blocking findings on any line, no fresh code."""
    locked = _locked(report)
    application = locked.application
    policies.can_confirm(actor, application).require()
    if locked.status == CONFIRMED:
        raise ValidationError(_("この実績報告はすでに確定されています。"))
    if locked.status != READY:
        raise ValidationError(_("アドバイザーが確認依頼をした後に確定できます。"))
    checked = check(locked)
    if checked.blocking:
        raise ValidationError(_("不備のある経費があるため確定できません。各経費の指摘を確認してください。"))
    step_up_codes.require_fresh(step_up, actor=actor, purpose=StepUpPurpose.RESULTS_REPORT)
    _fire(locked, "confirm", actor, {"eligible_yen": checked.eligible_yen})
    locked.confirmed_by, locked.confirmed_at, locked.step_up = actor, timezone.now(), step_up
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "step_up", "updated_at"])
    if application.status in (workflow.ACCEPTED, workflow.PAID):
        transition(application, name="start_reporting", actor=actor)
    report.status = locked.status
    return locked


@transaction.atomic
def request_changes(*, report: ResultsReport, actor: User, comments: Mapping[int, str]) -> ResultsReport:
    """The secretariat sends the report back to draft with a comment per line (at least one)."""
    policies.can_review(actor).require()
    locked = _locked(report)
    given = {i: text.strip() for i, text in comments.items() if text.strip()}
    if not given:
        raise ValidationError(
            {"comments": _("修正を依頼する経費に、少なくとも1件コメントを入力してください。")}
        )
    lines = list(locked.lines.all())
    if set(given) - {line.index for line in lines}:
        raise ValidationError(_("この実績報告にない経費です。"))
    _fire(locked, "request_changes", actor, {"comments": {str(i): t for i, t in given.items()}})
    for line in lines:
        line.review_comment = given.get(line.index, "")[:2000]
    ResultsLine.objects.bulk_update(lines, ["review_comment"])
    _reviewed(locked, actor)
    report.status = locked.status
    return locked


@transaction.atomic
def approve(*, report: ResultsReport, actor: User) -> ResultsReport:
    """The secretariat approves: the eligible actual cost (per line min(actual, planned), lines
    with blocking findings left out) goes to the final amount (awards.services.final_amount),
    the project is complete (the application reporting → completed), and the years of the
    verification open (services/kpi_reports.open_kpi_years), all in one transaction."""
    policies.can_review(actor).require()
    locked = _locked(report)
    checked = check(locked)
    eligible = checked.eligible_yen
    _fire(locked, "approve", actor, {"eligible_actual_yen": eligible})
    locked.eligible_actual_yen = eligible
    ResultsLine.objects.filter(report=locked).update(review_comment="")
    _reviewed(locked, actor)
    final_amount.determine(application=locked.application, eligible_actual_yen=eligible, actor=actor)
    application = Application.objects.get(pk=locked.application_id)  # as the final amount left it
    if application.status == workflow.REPORTING:
        transition(application, name="complete", actor=actor)
    kpi_reports.open_kpi_years(application=application, approved_on=timezone.localdate(), actor=actor)
    report.status = locked.status
    return locked


def _reviewed(locked: ResultsReport, actor: User) -> None:
    locked.reviewed_by, locked.reviewed_at, locked.review_emailed_at = actor, timezone.now(), None
    locked.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_emailed_at",
            "eligible_actual_yen",
            "updated_at",
        ]
    )
    enqueue_on_commit(results_tasks.send_results_reviewed, locked.pk)
