"""Who may do what with the monthly support reports, and the reads their pages start from.

The advisor's act (writing and filing) needs an active advisor of the application's firm in good
standing, the authority that lets them work on the application (applications.policies.side_of).
Acknowledging and disputing belong to the applicant's people only: never an advisor, never staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import Side, can_act_as_applicant, side_of
from dxgrant.core.decisions import Decision

from . import support_rules as rules
from .support_models import STANDING, SupportReport, SupportReportStatus

# The states of an award under implementation (not cancelled, not completed).
IMPLEMENTING = frozenset({workflow.ACCEPTED, workflow.PAID, workflow.REPORTING})


def can_write_report(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """Writing, filing and correcting: an advisor of the firm in good standing, during implementation."""
    side = side or side_of(user, application)
    if not side.is_advisor:
        return Decision.deny(_("月次支援報告は、担当する認定事業者のアドバイザーのみが作成できます。"))
    if not side.advisor_standing:
        return side.advisor_standing
    if application.status not in IMPLEMENTING:
        return Decision.deny(_("この申請は事業実施期間中ではないため、月次支援報告を作成できません。"))
    return Decision.allow()


def can_respond(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """Acknowledging or disputing a filed report: the applicant's own people only."""
    if can_act_as_applicant(user, application, side or side_of(user, application)):
        return Decision.allow()
    return Decision.deny(_("月次支援報告の確認と異議の申立ては、申請者ご本人のみが行えます。"))


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    due_on: dt.date
    report: SupportReport | None
    draft: SupportReport | None
    overdue: bool


def accepted_on(application: Application) -> dt.date | None:
    acceptance = getattr(application, "acceptance", None)
    return timezone.localdate(acceptance.accepted_at) if acceptance is not None else None


def month_rows(application: Application, reports: list[SupportReport], today: dt.date) -> list[MonthRow]:
    """Every month of implementation that has begun, newest first, with its standing report and
    its draft (from `reports`, the award's reports in one query)."""
    start = accepted_on(application)
    if start is None:
        return []
    due_day = application.round.rules.reporting.support_report_due_day
    standing = {r.month: r for r in reports if r.status in STANDING}
    drafts = {r.month: r for r in reports if r.status == SupportReportStatus.DRAFT}
    rows = []
    for month in rules.writable_months(start, application.round.programme_period_ends, today):
        due = rules.due_on(month, due_day)
        report = standing.get(month)
        rows.append(MonthRow(month, due, report, drafts.get(month), report is None and due < today))
    return list(reversed(rows))
