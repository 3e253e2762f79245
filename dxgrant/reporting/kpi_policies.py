"""Who may do what with the KPI reports of the verification (効果検証)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_read_programme_figures
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.policies import Side, side_of
from dxgrant.core.decisions import Decision

# The award is being carried out or verified; a cancelled one files nothing more.
FILING_STATES = frozenset({workflow.PAID, workflow.REPORTING, workflow.COMPLETED})


def can_file_kpi_report(user: Visitor, application: Application, side: Side | None = None) -> Decision:
    """The applicant's own people only: never the advisor (who reads them), never staff."""
    if (side or side_of(user, application)).is_applicant:
        return Decision.allow()
    return Decision.deny(
        _("効果検証の報告は、申請者ご本人のみが行えます。アドバイザーと事務局は閲覧のみできます。")
    )


def kpi_state(application: Application) -> Decision:
    if application.status in FILING_STATES:
        return Decision.allow()
    return Decision.deny(
        _("この交付決定は取り消されているか、まだ実施中ではないため、効果検証の報告はできません。")
    )


def can_read_cohort(user: Visitor) -> Decision:
    """The cohort's figures in aggregate: the association's staff, as the dashboard."""
    return can_read_programme_figures(user)
