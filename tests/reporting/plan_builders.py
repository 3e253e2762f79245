"""An award during implementation (accepted, with its filed version: the plan as decided) and
its people, for the plan change tests and the page registry."""

from __future__ import annotations

from dataclasses import dataclass

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.decisions.models import Decision
from dxgrant.programs.models import Programme
from tests.awards.payments_builders import award_decision
from tests.factories import UserFactory
from tests.factories.applications import fill_application, make_application, make_version
from tests.factories.support import representative_of


@dataclass
class Implementing:
    application: Application
    applicant: User
    advisor: User
    secretariat: User
    decision: Decision | None


def implementing(
    programme: Programme, *, status: str = workflow.ACCEPTED, with_decision: bool = True
) -> Implementing:
    """An accepted award of 2,000,000円 whose plan (version 0) has two budget lines: クラウド受発注
    システム 3,000,000円 and データ活用研修 1,000,000円 (eligible, 税抜; total 4,000,000円), and
    two milestones inside the programme period. `with_decision=False` leaves out the round's
    published decision (the page registry: the decisions pages count the round's decision)."""
    secretariat = UserFactory(role=Role.SECRETARIAT)
    application = make_application(programme, status=status)
    fill_application(application)
    make_version(application)
    decision = award_decision(application, amount_yen=2_000_000, by=secretariat) if with_decision else None
    return Implementing(
        application=application,
        applicant=representative_of(application.engagement),
        advisor=application.engagement.lead_advisor,
        secretariat=secretariat,
        decision=decision,
    )
