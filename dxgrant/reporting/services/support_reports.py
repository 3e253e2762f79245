"""The advisor's monthly support report (月次支援報告): draft, file, correct; the applicant
acknowledges or disputes it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.applications.models import Application
from dxgrant.core.editing import expect_revision
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import plans, support_policies, support_rules, support_tasks
from ..support_models import STANDING, SUPPORT_REPORT, SupportReport, SupportReportStatus

S = SupportReportStatus


@dataclass(frozen=True)
class Progress:
    status: str
    comment: str = ""


@dataclass(frozen=True)
class ReportContent:
    activities: str = ""
    # One per milestone of the plan in force, in its order.
    progress: list[Progress] = field(default_factory=list)
    problems: str = ""
    next_steps: str = ""


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "acceptance")
        .get(pk=application.pk)
    )


def _check_month(application: Application, month: dt.date) -> None:
    start = support_policies.accepted_on(application)
    writable = (
        support_rules.writable_months(start, application.round.programme_period_ends, timezone.localdate())
        if start is not None
        else []
    )
    if month not in writable:
        raise ValidationError(
            {
                "month": _(
                    "%(month)s は報告できる月ではありません。受諾した月から事業実施期間の終了月までの、始まった月を選んでください。"
                )
                % {"month": f"{month:%Y-%m}"}
            }
        )


def _progress(
    application: Application, content: ReportContent, *, complete: bool
) -> tuple[list[dict[str, Any]], int]:
    plan = plans.current_plan(application)
    known = set(support_rules.MilestoneStatus.values)
    rows, missing = [], []
    for index, milestone in enumerate(plan.milestones):
        given = content.progress[index] if index < len(content.progress) else Progress("")
        if given.status and given.status not in known:
            raise ValidationError({"progress": _("マイルストーンの進捗に不明な状態があります。")})
        if not given.status:
            missing.append(str(milestone.get("title", index + 1)))
        rows.append(
            {
                "title": milestone.get("title", ""),
                "due": milestone.get("due", ""),
                "status": given.status,
                "comment": given.comment.strip(),
            }
        )
    if complete and missing:
        raise ValidationError(
            {
                "progress": _("次のマイルストーンの進捗を選んでください：%(titles)s")
                % {"titles": "、".join(missing)}
            }
        )
    return rows, plan.version


def _required(content: ReportContent) -> None:
    errors = {}
    if not content.activities.strip():
        errors["activities"] = _("支援内容を入力してください。")
    if not content.next_steps.strip():
        errors["next_steps"] = _("次月の予定を入力してください。")
    if errors:
        raise ValidationError(errors)


def _fill(
    report: SupportReport, content: ReportContent, progress: list[dict[str, Any]], version: int
) -> None:
    report.activities = content.activities.strip()
    report.progress = progress
    report.problems = content.problems.strip()
    report.next_steps = content.next_steps.strip()
    report.plan_version = version


@transaction.atomic
def save_draft(
    *,
    actor: User,
    application: Application,
    month: dt.date,
    content: ReportContent,
    expected_revision: int | None = None,
) -> SupportReport:
    """Keep the month's draft as it is (one per award and month; saved again, it is updated):
    the autosave and the "save draft" button. Nothing is required of a draft.

    Callers: an advisor of the firm in good standing, during implementation
    (`can_write_report`). Refused: a month not of implementation or not begun; a month whose
    report stands and is not disputed; an unknown milestone status; with EditConflict, a draft
    saved since `expected_revision` (0: no draft yet), unless it already holds this content.
    `expected_revision=None` (seeding, a script) does not check."""
    locked = _lock(application)
    support_policies.can_write_report(actor, locked).require()
    _check_month(locked, month)
    _refuse_if_standing(locked, month)
    progress, version = _progress(locked, content, complete=False)
    draft = SupportReport.objects.filter(application=locked, month=month, status=S.DRAFT).first()
    if draft is None:
        draft = SupportReport(application=locked, month=month, author=actor)
    elif _holds(draft, content, progress, version):
        # Nothing to change: no new revision. Checked before the revision, so a save that repeats
        # what an autosave just stored is not taken for someone else's.
        return draft
    if expected_revision is not None:
        expect_revision(draft.revision, expected_revision, current=draft)
    _fill(draft, content, progress, version)
    draft.revision += 1
    draft.save()
    return draft


def _holds(
    draft: SupportReport, content: ReportContent, progress: list[dict[str, Any]], version: int
) -> bool:
    probe = SupportReport(month=draft.month)
    _fill(probe, content, progress, version)
    return all(
        getattr(draft, name) == getattr(probe, name)
        for name in ("activities", "progress", "problems", "next_steps", "plan_version")
    )


def _refuse_if_standing(application: Application, month: dt.date) -> SupportReport | None:
    """The month's disputed report (a correction supersedes it); refused if one stands undisputed."""
    standing = SupportReport.objects.filter(application=application, month=month, status__in=STANDING).first()
    if standing is not None and standing.status != S.DISPUTED:
        raise ValidationError(
            _(
                "%(month)s の報告は提出済みです。提出済みの報告は編集できません（申請者が異議を申し立てた場合のみ訂正できます）。"
            )
            % {"month": f"{month:%Y-%m}"},
            code="already_filed",
        )
    return standing


@transaction.atomic
def file_report(
    *,
    actor: User,
    application: Application,
    month: dt.date,
    content: ReportContent,
    token: uuid.UUID,
    expected_revision: int | None = None,
) -> SupportReport:
    """File the month's report (from its draft, if any); the applicant's people are emailed. If the
    applicant disputed the month's report, this one is its correction and supersedes it.

    Callers: as `save_draft`. Refused: as `save_draft`, and missing activities, next steps or a
    milestone's status; with EditConflict, a draft saved since `expected_revision` (as
    `save_draft`). The same `token` twice (a double click) returns the first report."""
    locked = _lock(application)
    support_policies.can_write_report(actor, locked).require()
    again = SupportReport.objects.filter(submission_token=token).first()
    if again is not None and again.application_id == locked.pk:
        return again
    _check_month(locked, month)
    disputed = _refuse_if_standing(locked, month)
    _required(content)
    progress, version = _progress(locked, content, complete=True)
    report = SupportReport.objects.filter(application=locked, month=month, status=S.DRAFT).first()
    if report is None:
        report = SupportReport(application=locked, month=month, author=actor)
    elif expected_revision is not None and not _holds(report, content, progress, version):
        expect_revision(report.revision, expected_revision, current=report)
    if disputed is not None:
        disputed.status = SUPPORT_REPORT["supersede"].target
        disputed.save(update_fields=["status", "updated_at"])
        report.corrects = disputed
    _fill(report, content, progress, version)
    report.status = SUPPORT_REPORT["file"].target
    report.filed_by = actor
    report.filed_at = timezone.now()
    report.submission_token = token
    report.save()
    audit_record(
        actor=actor,
        action="reporting.support_report_filed",
        obj=report,
        changes={
            "application": locked.pk,
            "month": f"{month:%Y-%m}",
            "corrects": disputed.pk if disputed is not None else None,
            "plan_version": version,
        },
    )
    enqueue_on_commit(support_tasks.send_report_filed, report.pk)
    return report


def _lock_report(report: SupportReport) -> SupportReport:
    return SupportReport.objects.select_for_update().select_related("application").get(pk=report.pk)


def _respond(actor: User, report: SupportReport, name: str) -> SupportReport:
    locked = _lock_report(report)
    support_policies.can_respond(actor, locked.application).require()
    if not SUPPORT_REPORT.allows(name, locked.status):
        raise ValidationError(
            _("この報告は確認待ちではないため、確認も異議の申立てもできません。"), code="not_filed"
        )
    locked.status = SUPPORT_REPORT[name].target
    locked.responded_by = actor
    locked.responded_at = timezone.now()
    return locked


@transaction.atomic
def acknowledge_report(*, actor: User, report: SupportReport) -> SupportReport:
    """The applicant confirms the filed report. Callers: the applicant's people only (an advisor or
    staff: PermissionDenied). Refused: a report not awaiting the applicant."""
    locked = _respond(actor, report, "acknowledge")
    locked.save(update_fields=["status", "responded_by", "responded_at", "updated_at"])
    audit_record(
        actor=actor,
        action="reporting.support_report_acknowledged",
        obj=locked,
        changes={"application": locked.application_id, "month": f"{locked.month:%Y-%m}"},
    )
    return locked


@transaction.atomic
def dispute_report(*, actor: User, report: SupportReport, comment: str) -> SupportReport:
    """The applicant disputes the filed report, saying why; the advisor who filed it is emailed
    and may file a correction. Callers: as `acknowledge_report`. Refused: as it, and no comment."""
    comment = comment.strip()
    locked = _respond(actor, report, "dispute")
    if not comment:
        raise ValidationError({"comment": _("異議の内容を入力してください。")})
    locked.dispute_comment = comment
    locked.save(update_fields=["status", "responded_by", "responded_at", "dispute_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="reporting.support_report_disputed",
        obj=locked,
        changes={"application": locked.application_id, "month": f"{locked.month:%Y-%m}", "comment": comment},
    )
    enqueue_on_commit(support_tasks.send_report_disputed, locked.pk)
    return locked
