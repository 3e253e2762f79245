"""Applications for the tests of the applicant's and advisor's core flow (profile, declarations,
disclosure, readiness, submission)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.applications import completeness
from dxgrant.applications.models import Application
from dxgrant.applications.services.creation import ensure_application
from dxgrant.programs.models import Programme, Round
from tests.applications.factories_staff import fill_application, staff_round
from tests.firm_helpers import certified_firm
from tests.support.factories import advisor_of, engagement_for, representative_of

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def core_round(programme: Programme) -> Round:
    """An open round with the programme's rules and declarations (receipt prefix DX)."""
    return staff_round(programme, code="dx-core-open")


@dataclass
class Setup:
    application: Application
    firm: AdvisorFirm
    advisor: User
    applicant: User


def drafting(programme: Programme, *, firm_name: str = "中核支援合同会社") -> Setup:
    firm = certified_firm(programme, name=firm_name)
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, core_round(programme))
    applicant = representative_of(engagement)
    application = ensure_application(engagement=engagement, actor=advisor)
    return Setup(application=application, firm=firm, advisor=advisor, applicant=applicant)


def complete(application: Application) -> Application:
    """Every section filled, the disclosure confirmed at its revision, all declarations made."""
    fill_application(application)
    application.refresh_from_db()
    application.company_name_kana = "テストセイサクショ"
    application.representative_name_kana = "ヤマダタロウ"
    application.prefecture = "東京都"
    application.industry = "E"
    application.employees = 12
    application.sales_previous_yen = 280_000_000
    application.operating_profit_last_yen = 12_000_000
    application.operating_profit_previous_yen = 10_000_000
    application.profile_revision = 1
    application.disclosure_revision = 1
    application.disclosure_confirmed_revision = 1
    application.save()
    return application


@pytest.fixture
def other_parts_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan, budget and documents judged complete, so these tests depend only on our sections."""

    def complete_part(application: Application) -> tuple[str, list[str]]:
        return completeness.COMPLETED, []

    for part in ("plan_part", "budget_part", "documents_part"):
        monkeypatch.setattr(completeness, part, complete_part)


def enrol_totp(user: User) -> Authenticator:
    return TOTP.activate(user, TOTP_SECRET).instance  # type: ignore[no-any-return]


def totp_now(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = str(decrypt(authenticator.data["secret"]))
    wait_out_code_rollover()
    counter = int(timezone.now().timestamp()) // 30
    return str(format_hotp_value(hotp_value(secret, counter)))


def wait_out_code_rollover(margin: float = 5.0) -> None:
    """A one-time code lives for a 30-second period; a code computed in the last seconds of one
    may reach the server in the next and be refused. Wait for the next period in that case."""
    import time

    into = time.time() % 30
    if into > 30 - margin:
        time.sleep(30 - into + 0.2)
