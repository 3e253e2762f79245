"""Who may do what with a results report (実績報告). The applicant's people and the advisor edit
the draft; the advisor marks it ready; only the applicant confirms; the secretariat reviews."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_act_as_secretariat, can_read_as_staff
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import Side, side_of
from dxgrant.core.decisions import Decision

from .results_models import ResultsReport

# The awards that file a results report: accepted (nothing paid yet) or paid, and, once it is
# confirmed, reporting.
REPORT_STATES = frozenset({workflow.ACCEPTED, workflow.PAID, workflow.REPORTING})


def report_state(application: Application) -> Decision:
    if application.status in REPORT_STATES:
        return Decision.allow()
    return Decision.deny(_("実績報告は、交付条件を受諾した後に作成できます。"))


def can_edit(
    user: Visitor, application: Application, report: ResultsReport | None, side: Side | None = None
) -> Decision:
    side = side or side_of(user, application)
    if not (side.is_applicant or side.is_advisor):
        return Decision.deny(_("実績報告は、申請者と担当アドバイザーのみが作成できます。"))
    if side.is_advisor and not side.advisor_standing:
        return side.advisor_standing
    if report is not None and not report.editable:
        return Decision.deny(_("この実績報告は確定済みのため編集できません。"))
    return report_state(application)


def can_mark_ready(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    side = side or side_of(user, application)
    if not side.is_advisor:
        return Decision.deny(_("確認依頼は、担当アドバイザーのみが行えます。"))
    return side.advisor_standing


def can_confirm(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    if (side or side_of(user, application)).is_applicant:
        return Decision.allow()
    return Decision.deny(_("実績報告の確定は、申請者ご本人のみが行えます。"))


def can_read_reports(user: Visitor) -> Decision:
    return can_read_as_staff(user)


def can_review(user: Visitor) -> Decision:
    return can_act_as_secretariat(user)


def reports_visible_to(user: Visitor) -> QuerySet[ResultsReport]:
    if can_read_as_staff(user):
        return ResultsReport.objects.all()
    return ResultsReport.objects.none()
