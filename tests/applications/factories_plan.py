"""Applications to write a plan, a budget and documents in, for the tests of those parts."""

from __future__ import annotations

from dataclasses import dataclass

from dxgrant.accounts.models import User
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.applications.models import Application
from dxgrant.applications.services.creation import ensure_application
from dxgrant.programs.models import Programme, Round
from tests.firm_helpers import certified_firm
from tests.support.factories import advisor_of, engagement_for, open_round, representative_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def plan_round(programme: Programme, code: str = "dx-plan-open") -> Round:
    """An open round carrying the programme's application rules (plan sections, budget rules)."""
    round_obj = open_round(programme, code=code)
    if not round_obj.application_rules:
        template = (
            Round.objects.filter(programme=programme, is_demo=False).exclude(application_rules={}).first()
        )
        assert template is not None
        round_obj.application_rules = template.application_rules
        round_obj.save(update_fields=["application_rules"])
    return round_obj


@dataclass
class Setup:
    application: Application
    firm: AdvisorFirm
    advisor: User
    applicant: User


def application_setup(programme: Programme, *, firm_name: str = "計画支援合同会社") -> Setup:
    firm = certified_firm(programme, name=firm_name)
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, plan_round(programme))
    applicant = representative_of(engagement)
    application = ensure_application(engagement=engagement, actor=advisor)
    return Setup(application=application, firm=firm, advisor=advisor, applicant=applicant)
