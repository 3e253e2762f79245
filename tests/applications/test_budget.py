"""The budget: computed amounts and totals, quotations and the two-quote rule at the threshold."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxgrant.accounts.models import User
from dxgrant.advisors.models import CertificationState
from dxgrant.applications import budget_rules, completeness
from dxgrant.applications.models import Application, ApplicationDocument, BudgetLine
from dxgrant.applications.services import budget
from tests.factories.applications import drafting
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def values(**overrides) -> budget_rules.LineValues:
    base = {
        "category": "software",
        "item": "クラウド受発注システム",
        "vendor": "株式会社クラウド商事",
        "quantity": 1,
        "unit_price_yen": 100_000,
        "tax_rate_percent": 10,
    }
    return budget_rules.LineValues(**(base | overrides))


def quote(name: str = "見積書.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def test_amounts_are_computed_with_tax_rounded_down_to_the_yen():
    # 3 × 333 = 999 yen; with 10% tax 1,098.9 → 1,098 (rounded down); eligible is tax excluded.
    assert budget_rules.compute_amounts(quantity=3, unit_price_yen=333, tax_rate_percent=10) == (1098, 999)
    assert budget_rules.compute_amounts(quantity=7, unit_price_yen=151, tax_rate_percent=8) == (1141, 1057)


def test_totals_are_recomputed_on_every_change(programme):
    s = drafting(programme)
    app = s.application
    first = budget.add_budget_line(
        actor=s.advisor, application=app, values=values(quantity=3, unit_price_yen=333)
    )
    second = budget.add_budget_line(actor=s.applicant, application=app, values=values(unit_price_yen=200_000))
    app.refresh_from_db()
    assert (app.budget_total_yen, app.eligible_total_yen) == (1098 + 220_000, 999 + 200_000)
    budget.update_budget_line(actor=s.advisor, line=second, values=values(quantity=2, unit_price_yen=200_000))
    app.refresh_from_db()
    assert (app.budget_total_yen, app.eligible_total_yen) == (1098 + 440_000, 999 + 400_000)
    budget.delete_budget_line(actor=s.advisor, line=first)
    app.refresh_from_db()
    assert (app.budget_total_yen, app.eligible_total_yen) == (440_000, 400_000)
    budget.delete_budget_line(actor=s.advisor, line=second)
    app.refresh_from_db()
    assert (app.budget_total_yen, app.eligible_total_yen) == (0, 0)


def test_amounts_posted_by_a_client_are_ignored(programme):
    s = drafting(programme)
    response = client_of(s.applicant).post(
        f"/applications/{s.application.pk}/budget/lines/new/",
        {
            "category": "hardware",
            "item": "センサー",
            "vendor": "株式会社センサー",
            "quantity": "２",
            "unit_price_yen": "50,000円",
            "tax_rate_percent": "10",
            "amount_yen": "1",
            "eligible_amount_yen": "99999999",
            "budget_total_yen": "1",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert (line.quantity, line.unit_price_yen, line.amount_yen, line.eligible_amount_yen) == (
        2,
        50_000,
        110_000,
        100_000,
    )
    app = Application.objects.get(pk=s.application.pk)
    assert (app.budget_total_yen, app.eligible_total_yen) == (110_000, 100_000)
    page = client_of(s.applicant).get(f"/applications/{s.application.pk}/budget/").content.decode()
    assert "110,000" in page


def test_invalid_line_changes_nothing_and_keeps_what_was_typed(programme):
    s = drafting(programme)
    response = client_of(s.applicant).post(
        f"/applications/{s.application.pk}/budget/lines/new/",
        {"category": "yacht", "item": "社長のヨット", "vendor": "", "quantity": "0", "unit_price_yen": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "社長のヨット" in body
        and "発注先を入力してください" in body
        and "数量は1以上で入力してください" in body
    )
    assert 'href="#id_vendor"' in body
    assert not BudgetLine.objects.exists()
    with pytest.raises(ValidationError, match="経費区分を選んでください"):
        budget.add_budget_line(actor=s.advisor, application=s.application, values=values(category="yacht"))
    assert not BudgetLine.objects.exists()


def test_two_quotes_needed_at_the_threshold_and_one_just_below(programme):
    s = drafting(programme)
    app = s.application
    threshold = budget_rules.quote_threshold(app.round)
    assert threshold == 1_000_000
    below = budget.add_budget_line(
        actor=s.advisor, application=app, values=values(unit_price_yen=threshold - 1)
    )
    at = budget.add_budget_line(
        actor=s.advisor, application=app, values=values(item="生産管理システム", unit_price_yen=threshold)
    )
    assert budget_rules.quotes_required(app.round, below) == 1
    assert budget_rules.quotes_required(app.round, at) == 2
    assert completeness.budget_status(app) == budget_rules.IN_PROGRESS
    budget.upload_quote(actor=s.advisor, line=below, file=quote(), supplier="A社", amount_yen=999_999)
    first = budget.upload_quote(
        actor=s.advisor, line=at, file=quote("A社見積.pdf"), supplier="A社", amount_yen=threshold
    )
    problems = completeness.budget_problems(app)
    assert len(problems) == 1 and "生産管理システム" in problems[0] and "相見積" in problems[0]
    budget.upload_quote(
        actor=s.applicant, line=at, file=quote("B社見積.pdf"), supplier="B社", amount_yen=threshold + 1
    )
    # Two suppliers' quotations: one of them is chosen (the cheapest needs no reason).
    assert "採用する見積書を選んでください" in " ".join(completeness.budget_problems(app))
    budget.choose_quote(actor=s.advisor, line=at, quote_id=first.pk, reason="")
    assert completeness.budget_problems(app) == []
    assert completeness.budget_status(app) == budget_rules.COMPLETED


def test_status_and_problems_are_cheap(programme, django_assert_num_queries):
    s = drafting(programme)
    app = Application.objects.select_related("round").get(pk=s.application.pk)
    assert completeness.budget_status(app) == budget_rules.NOT_STARTED
    assert completeness.budget_problems(app) == ["経費の明細が1行もありません。"]
    for i in range(5):
        budget.add_budget_line(actor=s.advisor, application=app, values=values(item=f"品目{i}"))
    with django_assert_num_queries(1):
        assert len(completeness.budget_problems(app)) == 5
    with django_assert_num_queries(1):
        completeness.budget_status(app)


def test_quote_upload_on_the_page_refuses_a_disguised_file(programme):
    s = drafting(programme)
    line = budget.add_budget_line(actor=s.advisor, application=s.application, values=values())
    fake = SimpleUploadedFile("見積書.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client_of(s.advisor).post(
        f"/applications/{s.application.pk}/budget/lines/{line.pk}/quotes/",
        {"file": fake, "supplier": "A社", "amount_yen": "1000"},
    )
    assert response.status_code == 400
    assert "拡張子だけを変えたファイルは使えません" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    response = client_of(s.advisor).post(
        f"/applications/{s.application.pk}/budget/lines/{line.pk}/quotes/",
        {"file": quote(), "supplier": "A社", "amount_yen": "１，０００"},
    )
    assert response.status_code == 302
    assert ApplicationDocument.objects.get().budget_line == line


def test_deleting_a_line_removes_its_quotes(programme):
    s = drafting(programme)
    line = budget.add_budget_line(actor=s.advisor, application=s.application, values=values())
    budget.upload_quote(actor=s.advisor, line=line, file=quote(), supplier="A社", amount_yen=1000)
    response = client_of(s.applicant).post(f"/applications/{s.application.pk}/budget/lines/{line.pk}/delete/")
    assert response.status_code == 302
    assert not BudgetLine.objects.exists() and not ApplicationDocument.objects.exists()


def test_another_firms_advisor_gets_404_and_a_suspended_one_is_refused(programme):
    s = drafting(programme)
    other = drafting(programme, firm_name="別の支援会社")
    line = budget.add_budget_line(actor=s.advisor, application=s.application, values=values())
    base = f"/applications/{s.application.pk}/budget/"
    intruder = client_of(other.advisor)
    assert intruder.get(base).status_code == 404
    assert intruder.get(f"{base}lines/{line.pk}/").status_code == 404
    assert intruder.post(f"{base}lines/{line.pk}/delete/").status_code == 404
    # A line of another application is not reachable through this one's address.
    their_line = budget.add_budget_line(actor=other.advisor, application=other.application, values=values())
    assert client_of(s.advisor).post(f"{base}lines/{their_line.pk}/delete/").status_code == 404
    s.firm.certification_state = CertificationState.SUSPENDED
    s.firm.save(update_fields=["certification_state"])
    advisor = User.objects.get(pk=s.advisor.pk)  # the firm is remembered on the user per request
    with pytest.raises(PermissionDenied):
        budget.add_budget_line(actor=advisor, application=s.application, values=values())
    assert client_of(s.advisor).post(f"{base}lines/{line.pk}/delete/").status_code == 403
    assert BudgetLine.objects.filter(application=s.application).count() == 1


def test_two_people_editing_one_line_do_not_overwrite_each_other(programme):
    s = drafting(programme)
    line = budget.add_budget_line(actor=s.advisor, application=s.application, values=values())
    edit = f"/applications/{s.application.pk}/budget/lines/{line.pk}/"
    page = client_of(s.advisor).get(edit).content.decode()
    loaded = page.split('name="fingerprint" value="')[1].split('"')[0]
    # The applicant changes the price while the advisor's form is open.
    budget.update_budget_line(actor=s.applicant, line=line, values=values(unit_price_yen=120_000))
    posted = {
        "category": "software",
        "item": "クラウド受発注システム（年額）",
        "vendor": "株式会社クラウド商事",
        "quantity": "1",
        "unit_price_yen": "100000",
        "tax_rate_percent": "10",
        "fingerprint": loaded,
    }
    response = client_of(s.advisor).post(edit, posted)
    assert response.status_code == 409
    body = response.content.decode()
    assert "ほかの方が変更した" in body and "120,000" in body and "クラウド受発注システム（年額）" in body
    line.refresh_from_db()
    assert line.unit_price_yen == 120_000
    app = Application.objects.get(pk=s.application.pk)
    assert app.eligible_total_yen == 120_000
    # Having seen it, saving again (the page now carries the current fingerprint) goes through.
    posted["fingerprint"] = body.split('name="fingerprint" value="')[1].split('"')[0]
    assert client_of(s.advisor).post(edit, posted).status_code == 302
    line.refresh_from_db()
    assert (line.item, line.unit_price_yen) == ("クラウド受発注システム（年額）", 100_000)
