"""An application notified of its award, through the workflow service, with its people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services.transitions import transition
from dxgrant.programs.models import Programme
from tests.factories.accounts import enrol_totp
from tests.factories.applications import make_application
from tests.factories.support import representative_of

from .payments_builders import award_decision


@dataclass
class Awarded:
    application: Application
    applicant: User
    advisor: User
    secretariat: User


def notified(programme: Programme, secretariat: User, **columns: object) -> Awarded:
    """株式会社ヤマダ製作所 (ヤマダセイサクショ), awarded 5,000,000円 and then notified by the secretariat."""
    fields = {
        "company_name": "株式会社ヤマダ製作所",
        "company_name_kana": "ヤマダセイサクショ",
        "legal_form": "株式会社",
    }
    application = make_application(programme, status=workflow.AWARDED, **(fields | columns))
    award_decision(application, amount_yen=5_000_000, by=secretariat)
    transition(application, name="notify", actor=secretariat)
    applicant = representative_of(application.engagement)
    enrol_totp(applicant)
    application.refresh_from_db()
    return Awarded(application, applicant, application.engagement.lead_advisor, secretariat)


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def awarded(programme, secretariat) -> Awarded:
    return notified(programme, secretariat)
