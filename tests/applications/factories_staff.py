"""Applications in the states the secretariat sees, built with the ORM (the applicant's flow that
produces them has its own tests)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.applications import workflow
from dxgrant.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationVersion,
    BudgetLine,
    DeclarationAcceptance,
    PlanSection,
)
from dxgrant.applications.services.creation import ensure_application
from dxgrant.applications.snapshot import build_snapshot
from dxgrant.programs.models import DeclarationText, Programme, Round
from tests.support.factories import engagement_for, firm_with_advisor, open_round, representative_of

_receipts = itertools.count(1)

PLAN_TEXT = "受発注をクラウドで一元管理し、在庫データを毎日分析して欠品を減らします。"


def staff_round(programme: Programme, code: str = "dx-test-staff") -> Round:
    """An open round with the programme's application rules and declaration texts."""
    round_obj = open_round(programme, code=code)
    template = Round.objects.filter(programme=programme, is_demo=False).order_by("application_opens").first()
    assert template is not None
    if not round_obj.application_rules:
        round_obj.application_rules = template.application_rules
        round_obj.save(update_fields=["application_rules"])
        DeclarationText.objects.bulk_create(
            DeclarationText(
                round=round_obj, key=t.key, version=t.version, text_ja=t.text_ja, text_en=t.text_en
            )
            for t in DeclarationText.objects.filter(round=template)
        )
    return round_obj


def make_application(
    programme: Programme,
    *,
    round_obj: Round | None = None,
    firm: AdvisorFirm | None = None,
    advisor: User | None = None,
    status: str = workflow.SUBMITTED,
    company_name: str | None = None,
    receipt_number: str | None = "auto",
    **columns: Any,
) -> Application:
    """An application of a new company (status and columns set directly)."""
    round_obj = round_obj or staff_round(programme)
    if firm is None or advisor is None:
        firm, advisor = firm_with_advisor(programme)
    kwargs: dict[str, Any] = {"company_name": company_name} if company_name else {}
    engagement = engagement_for(firm, advisor, round_obj, **kwargs)
    application = ensure_application(engagement=engagement, actor=advisor)
    application.status = status
    if receipt_number == "auto":
        receipt_number = f"DX-TEST-{next(_receipts):06d}" if status != workflow.DRAFTING else None
    application.receipt_number = receipt_number
    if receipt_number:
        application.submitted_at = timezone.now()
    defaults: dict[str, Any] = {"prefecture": "東京都", "industry": "E", "employees": 12}
    for name, value in {**defaults, **columns}.items():
        setattr(application, name, value)
    application.save()
    return application


def fill_application(application: Application, *, plan_text: str = PLAN_TEXT) -> Application:
    """A complete application: profile, plan, two budget lines with a quote, a document,
    the disclosure and every declaration accepted by the representative."""
    applicant = representative_of(application.engagement)
    application.entity_type = "corporation"
    application.legal_form = "株式会社"
    application.company_name_kana = "テストセイサクショ"
    application.representative_name = "山田太郎"
    application.postal_code = "100-0001"
    application.city = "千代田区"
    application.address_line = "千代田1-1"
    application.phone = "03-0000-0000"
    application.capital_yen = 10_000_000
    application.founded_on = dt.date(2010, 4, 1)
    application.fiscal_year_end_month = 3
    application.sales_last_yen = 300_000_000
    application.antisocial_ties = False
    application.legal_compliance = True
    application.fee_amount_yen = 550_000
    application.fee_basis = "作業時間に応じて算定"
    application.fee_timing = "on_payment"
    application.advisor_sells_budget_items = False
    application.disclosure_confirmed_by = applicant
    application.disclosure_confirmed_at = timezone.now()
    application.disclosure_confirmed_revision = 1
    application.budget_total_yen = 3_300_000 + 1_100_000
    application.eligible_total_yen = 3_000_000 + 1_000_000
    application.save()
    for spec in application.round.application_rules.get("plan_sections", []):
        PlanSection.objects.create(
            application=application,
            code=spec["code"],
            text=plan_text if spec["code"] == "current_state" else f"{spec['title_ja']}の内容",
        )
    cloud = BudgetLine.objects.create(
        application=application,
        category="software",
        item="クラウド受発注システム",
        vendor="株式会社クラウド",
        quantity=1,
        unit_price_yen=3_000_000,
        amount_yen=3_300_000,
        eligible_amount_yen=3_000_000,
        position=1,
    )
    BudgetLine.objects.create(
        application=application,
        category="training",
        item="データ活用研修",
        vendor="研修株式会社",
        quantity=2,
        unit_price_yen=500_000,
        amount_yen=1_100_000,
        eligible_amount_yen=1_000_000,
        position=2,
    )
    add_document(application, code="quotes", name="見積書_クラウド.pdf", budget_line=cloud)
    add_document(application, code="registry_certificate", name="履歴事項全部証明書.pdf")
    now = timezone.now()
    DeclarationAcceptance.objects.bulk_create(
        DeclarationAcceptance(
            application=application, declaration=text, accepted_by=applicant, accepted_at=now
        )
        for text in DeclarationText.objects.filter(round=application.round)
    )
    return application


def add_document(
    application: Application, *, code: str, name: str, budget_line: BudgetLine | None = None
) -> ApplicationDocument:
    return ApplicationDocument.objects.create(
        application=application,
        code=code,
        budget_line=budget_line,
        file=f"applications/test/{name}",
        original_name=name,
        content_type="application/pdf",
        size=12_345,
        sha256=f"{abs(hash((application.pk, name))):064d}"[:64],
        uploaded_by=representative_of(application.engagement),
    )


def make_version(application: Application, number: int | None = None) -> ApplicationVersion:
    """Freeze the application as it is now as its next submitted version."""
    if number is None:
        number = application.versions.count() + 1
    return ApplicationVersion.objects.create(
        application=application,
        number=number,
        snapshot=build_snapshot(application),
        submitted_by=representative_of(application.engagement),
        submitted_at=timezone.now(),
    )
