"""An award under implementation for the support report tests: accepted on a given day, its
round's programme period ending on a given day, its decided plan with two milestones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.awards.models import Acceptance
from dxgrant.programs.models import Programme, Round
from tests.factories.applications import make_application
from tests.factories.rounds import open_round
from tests.factories.support import representative_of

TOKYO = ZoneInfo("Asia/Tokyo")
MILESTONES = [
    {"title": "クラウド受発注システムの導入", "due": "2026-12-15"},
    {"title": "在庫分析の運用開始", "due": "2027-02-26"},
]


@dataclass
class Implementing:
    application: Application
    applicant: User
    advisor: User


def implementing(
    programme: Programme,
    *,
    accepted_on: dt.date = dt.date(2026, 10, 31),
    period_ends: dt.date = dt.date(2027, 3, 15),
    round_obj: Round | None = None,
    status: str = workflow.ACCEPTED,
    company_name: str | None = None,
) -> Implementing:
    round_obj = round_obj or open_round(programme)
    if round_obj.programme_period_ends != period_ends:
        Round.objects.filter(pk=round_obj.pk).update(programme_period_ends=period_ends)
        round_obj.refresh_from_db()
    application = make_application(programme, round_obj=round_obj, status=status, company_name=company_name)
    applicant = representative_of(application.engagement)
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        snapshot={"plan": {"schedule": {"text": "", "data": {"milestones": MILESTONES}}}},
        submitted_by=applicant,
        submitted_at=timezone.now(),
    )
    Acceptance.objects.create(
        application=application,
        accepted_by=applicant,
        accepted_at=dt.datetime.combine(accepted_on, dt.time(10, 0), tzinfo=TOKYO),
        notified_on=accepted_on,
        last_day=accepted_on,
        conditions=[],
    )
    application = Application.objects.select_related("round", "acceptance").get(pk=application.pk)
    return Implementing(application, applicant, application.engagement.lead_advisor)
