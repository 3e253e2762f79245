"""The demo applications, written through the same services a browser would use: the demo
company's application begun, and a second company's submitted, so the secretariat has
something to screen, return and print in `make run`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dxgrant.accounts.models import User
from dxgrant.applications.budget_rules import LineValues
from dxgrant.applications.completeness import current_declarations
from dxgrant.applications.document_rules import upload_specs
from dxgrant.applications.models import Application
from dxgrant.applications.services import (
    budget,
    declarations,
    disclosure,
    documents,
    plan,
    profile,
    submission,
)
from dxgrant.applications.services.creation import ensure_application
from dxgrant.programs.models import Round
from dxgrant.support.models import Engagement

from . import builders
from .accounts import DEMO_PASSWORD

SAKURA_EMAIL = "sakura@demo.dxgrant.jp"
COMPANY = "株式会社さくら食品"


def _pdf(name: str, title: str, company: str, *lines: str) -> SimpleUploadedFile:
    return builders.sample_pdf(name, title, company, *lines)


def _plan(round_obj: Round) -> list[tuple[str, str, dict[str, Any]]]:
    texts = {
        "current_state": "和菓子の製造と直販を行っています。受注は電話とFAXで受け、紙の台帳で在庫を管理して"
        "いるため、繁忙期には欠品と作り過ぎが月に10件ほど起きています。",
        "goals": "受注から製造計画、在庫、出荷までをひとつのデータでつなぎ、3年後に廃棄ロスを半分にします。",
        "measures": "クラウドの受発注システムを導入し、販売データから需要を予測して製造量を決めます。",
        "schedule": "初年度に受発注をクラウドへ移し、2年目に需要予測を始めます。",
        "organisation": "製造課長をDX推進担当とし、社員全員がデータ活用研修を受けます。",
        "kpis": "労働生産性、原材料コスト、売上高を毎月確認します。",
        "regional": "地元の農家から仕入れる原料の量を、需要予測に合わせて前もって伝えられるようにします。",
        "ripple": "同じ商店街の菓子店に、受発注の仕組みと運用の手順を紹介します。",
    }
    data = builders.plan_data(round_obj)
    codes = [spec.code for spec in round_obj.rules.application.plan_sections]
    return [(code, texts.get(code, "計画の内容を記入しています。"), data.get(code, {})) for code in codes]


def begin_application(engagement: Engagement, applicant: User) -> Application:
    """The demo company's application, begun: the first lines of the company profile are in,
    the rest (figures, plan, budget, documents, declarations) is left to try."""
    application = ensure_application(engagement=engagement, actor=applicant)
    return profile.update_profile(
        application=application,
        actor=applicant,
        revision=application.profile_revision,
        data={
            "entity_type": "corporation",
            "legal_form": "株式会社",
            "company_name": application.company_name,
            "company_name_kana": "ヤマダセイサクショ",
            "representative_name": "山田 花子",
            "representative_name_kana": "ヤマダ ハナコ",
        },
    )


@dataclass(frozen=True)
class DemoCompany:
    """A company the demo firm supports, with what its application says."""

    name: str
    kana: str
    corporate_number: str
    prefecture: str
    city: str
    representative_email: str
    representative_name: str
    representative_kana: str
    employees: int
    # The cloud system's line (tax excluded): its two quotations are this and 8% more.
    system_yen: int
    training_yen: int = 400_000
    # The name printed on its sample documents. The many companies of the decided demo round
    # share one set of samples (rendering a PDF per company would slow the seeding down).
    documents_for: str = ""

    @property
    def on_documents(self) -> str:
        return self.documents_for or self.name


SAKURA = DemoCompany(
    name=COMPANY,
    kana="サクラショクヒン",
    corporate_number="8080001009876",
    prefecture="静岡県",
    city="静岡市葵区",
    representative_email=SAKURA_EMAIL,
    representative_name="桜井 美咲",
    representative_kana="サクライ ミサキ",
    employees=28,
    system_yen=1_800_000,
)


def seed_submitted_application(
    *, advisor: User, round_obj: Round, company: DemoCompany = SAKURA
) -> Application:
    """A company supported by the demo firm, with its application submitted: the profile, the
    plan, a budget with two quotations where the rule asks for them, the documents, the fee
    disclosure confirmed, the declarations, the hearing and training, then the applicant's
    confirmation and submission."""
    engagement = builders.supported_company(
        advisor=advisor,
        round_obj=round_obj,
        company_name=company.name,
        corporate_number=company.corporate_number,
        # A demo account of its own when it has one (the demo applicant's company applied to the
        # past round too); otherwise the invitation creates the representative's account.
        representative=User.objects.filter(email=company.representative_email).first(),
        representative_email=company.representative_email,
        representative_name=company.representative_name,
        password=DEMO_PASSWORD,
    )
    representative = engagement.members.get().user
    application = ensure_application(engagement=engagement, actor=representative)
    application = profile.update_profile(
        application=application,
        actor=representative,
        revision=application.profile_revision,
        data={
            "entity_type": "corporation",
            "legal_form": "株式会社",
            "corporate_number": company.corporate_number,
            "company_name": company.name,
            "company_name_kana": company.kana,
            "representative_name": company.representative_name,
            "representative_name_kana": company.representative_kana,
            "postal_code": "420-0853",
            "prefecture": company.prefecture,
            "city": company.city,
            "address_line": "追手町9-6",
            "phone": "054-000-0000",
            "industry": "E",
            "employees": company.employees,
            "capital_yen": 10_000_000,
            "founded_on": dt.date(1987, 6, 1),
            "fiscal_year_end_month": 3,
            "sales_last_yen": 420_000_000,
            "sales_previous_yen": 398_000_000,
            "operating_profit_last_yen": 12_500_000,
            "operating_profit_previous_yen": 9_800_000,
            "antisocial_ties": False,
            "legal_compliance": True,
        },
    )
    for code, text, data in _plan(round_obj):
        plan.save_plan_section(
            actor=advisor, application=application, code=code, text=text, data=data, expected_revision=0
        )
    cloud = budget.add_budget_line(
        actor=advisor,
        application=application,
        values=LineValues(
            "software",
            "クラウド受発注システム（1年分）",
            "株式会社クラウドワークス",
            1,
            company.system_yen,
            10,
        ),
    )
    training = budget.add_budget_line(
        actor=advisor,
        application=application,
        values=LineValues("training", "データ活用研修", "株式会社まなび", 4, company.training_yen // 4, 10),
    )
    # Two suppliers quote the cloud system (相見積); the advisor chooses the first, which is not
    # the cheapest, and says why.
    cheaper = company.system_yen * 92 // 100
    for line, quotes in (
        (cloud, (("株式会社クラウドワークス", company.system_yen), ("株式会社受発注ラボ", cheaper))),
        (training, (("株式会社まなび", company.training_yen),)),
    ):
        for i, (vendor, amount) in enumerate(quotes):
            budget.upload_quote(
                actor=advisor,
                line=line,
                file=_pdf(
                    f"quote-{i + 1}.pdf",
                    "御見積書",
                    company.on_documents,
                    vendor,
                    line.item,
                    f"{amount:,}円（税抜）",
                ),
                supplier=vendor,
                amount_yen=amount,
            )
    budget.choose_quote(
        actor=advisor,
        line=cloud,
        quote_id=cloud.quotes.get(supplier="株式会社クラウドワークス").pk,
        reason="受発注ラボの見積には在庫連携と保守が含まれず、追加費用を含めるとクラウドワークスが安いため。",
    )
    for spec in upload_specs(round_obj):
        documents.upload_document(
            actor=representative,
            application=application,
            code=spec.code,
            file=_pdf(f"{spec.code}.pdf", spec.name_ja, company.on_documents),
        )
    application.refresh_from_db()
    application = disclosure.update_disclosure(
        application=application,
        actor=advisor,
        revision=application.disclosure_revision,
        data={
            "fee_amount_yen": 330_000,
            "fee_basis": "計画づくりと研修の時間（30時間）に応じて算定",
            "fee_timing": "on_payment",
            "success_fee_percent": None,
            "advisor_sells_budget_items": False,
            "advisor_sales_disclosure": "",
        },
    )
    disclosure.confirm_disclosure(
        application=application, actor=representative, revision=application.disclosure_revision
    )
    declarations.accept_declarations(
        application=application,
        actor=representative,
        declaration_ids=[d.pk for d in current_declarations(application)],
        ip_address=None,
    )
    builders.support_requirements_met(advisor=advisor, engagement=engagement, person=representative)
    submission.mark_ready(application=application, actor=advisor)
    submission.submit_application(
        application=application, actor=representative, submission_token=uuid.uuid4()
    )
    application.refresh_from_db()
    return application
