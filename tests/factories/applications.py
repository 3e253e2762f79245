"""Applications (申請): one being drafted with its people, applications in the states the
secretariat sees, filled in completely (plan, budget with its quotations, every required
document, disclosure, declarations), and their submitted versions. Built with the ORM where the
applicant's flow that produces them has its own tests; `complete` gives an application that
completeness (the task list) judges ready, with nothing replaced by a mock."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.applications import workflow
from dxgrant.applications.document_rules import QUOTES, upload_specs
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
from dxgrant.demo.builders import plan_data
from dxgrant.programs.models import DeclarationText, Programme, Round

from .advisors import advisor_of, certified_firm, firm_with_advisor
from .rounds import open_round
from .support import engagement_for, meet_support_requirements, representative_of

_receipts = itertools.count(1)

PLAN_TEXT = "受発注をクラウドで一元管理し、在庫データを毎日分析して欠品を減らします。"
# The file names of the documents fill_application attaches, by the round's document code.
DOCUMENT_NAMES = {
    "registry_certificate": "履歴事項全部証明書.pdf",
    "tax_returns": "決算書.pdf",
    "tax_certificate": "納税証明書.pdf",
}


@dataclass
class Setup:
    application: Application
    firm: AdvisorFirm
    advisor: User
    applicant: User


def drafting(
    programme: Programme, *, firm_name: str = "中核支援合同会社", round_obj: Round | None = None
) -> Setup:
    """An application just created by the advisor of a certified firm, for a company whose
    representative accepted the support: nothing filled in yet."""
    firm = certified_firm(programme, name=firm_name)
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, round_obj or open_round(programme))
    applicant = representative_of(engagement)
    application = ensure_application(engagement=engagement, actor=advisor)
    return Setup(application=application, firm=firm, advisor=advisor, applicant=applicant)


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
    """An application of a new company in `status` (submitted unless given; a receipt number
    and a submission time from submitted on), its columns set directly."""
    round_obj = round_obj or open_round(programme)
    if firm is None or advisor is None:
        firm, advisor = firm_with_advisor(programme)
    fields: dict[str, Any] = {"company_name": company_name} if company_name else {}
    engagement = engagement_for(firm, advisor, round_obj, **fields)
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
    """Everything but the last profile figures (see `complete`): the profile, every plan section
    with its structured parts (measures, milestones in the programme period, every KPI row),
    two budget lines with two suppliers' quotations each, every required document, the
    disclosure confirmed by the representative and every declaration accepted by them."""
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
    round_obj = application.round
    structured = plan_data(round_obj)
    PlanSection.objects.bulk_create(
        PlanSection(
            application=application,
            code=spec.code,
            text=plan_text if spec.code == "current_state" else f"{spec.title_ja}の内容",
            data=structured.get(spec.code, {}),
        )
        for spec in round_obj.rules.application.plan_sections
    )
    # Both lines are at or above the round's quotation threshold: two suppliers quote each.
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
    training = BudgetLine.objects.create(
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
    for line, name, supplier, amount in (
        (cloud, "見積書_クラウド.pdf", "株式会社クラウド", 3_000_000),
        (cloud, "見積書_受発注ラボ.pdf", "株式会社受発注ラボ", 3_200_000),
        (training, "見積書_研修.pdf", "研修株式会社", 1_000_000),
        (training, "見積書_まなび.pdf", "株式会社まなび", 1_100_000),
    ):
        quote = add_document(
            application,
            code=QUOTES,
            name=name,
            budget_line=line,
            uploaded_by=applicant,
            supplier=supplier,
            quoted_amount_yen=amount,
        )
        if line.chosen_quote_id is None:  # the first, the cheapest: no reason needed
            line.chosen_quote = quote
            line.save(update_fields=["chosen_quote"])
    for spec in upload_specs(round_obj):
        name = DOCUMENT_NAMES.get(spec.code, f"{spec.code}.pdf")
        add_document(application, code=spec.code, name=name, uploaded_by=applicant)
    now = timezone.now()
    DeclarationAcceptance.objects.bulk_create(
        DeclarationAcceptance(
            application=application, declaration=text, accepted_by=applicant, accepted_at=now
        )
        for text in DeclarationText.objects.filter(round=application.round)
    )
    return application


def complete(application: Application) -> Application:
    """A complete application, ready to be marked ready: its content complete
    (`complete_content`) and the round's conditions of submission met by the representative (a
    confirmed hearing, the training hours by their own check-ins, the quiz passed)."""
    complete_content(application)
    meet_support_requirements(application.engagement)
    return application


def complete_content(application: Application) -> Application:
    """Every section complete: filled in, the last profile figures given, the disclosure
    confirmed at its revision and every declaration made (the support record untouched)."""
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


def add_document(
    application: Application,
    *,
    code: str,
    name: str,
    budget_line: BudgetLine | None = None,
    uploaded_by: User | None = None,
    supplier: str = "",
    quoted_amount_yen: int | None = None,
) -> ApplicationDocument:
    """A file attached by the representative unless `uploaded_by` (a quotation, with its
    supplier and amount, when `budget_line` is given)."""
    return ApplicationDocument.objects.create(
        application=application,
        code=code,
        budget_line=budget_line,
        file=f"applications/test/{name}",
        original_name=name,
        content_type="application/pdf",
        size=12_345,
        sha256=f"{abs(hash((application.pk, name))):064d}"[:64],
        supplier=supplier,
        quoted_amount_yen=quoted_amount_yen,
        uploaded_by=uploaded_by or representative_of(application.engagement),
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
