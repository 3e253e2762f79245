"""Input people type (issue 9, item 12): numbers are typed into text boxes that accept full-width
digits (a type=number box throws them away in the browser before the server sees them), and an
unknown postal code is refused with a message instead of being saved silently."""

from __future__ import annotations

import re

import pytest

from dxgrant.advisors.forms.registration import AddressForm
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.applications.forms.application import DisclosureForm, ProfileForm
from dxgrant.applications.forms.plan import BudgetLineForm
from dxgrant.applications.models import Application
from tests.factories.accounts import signed_in
from tests.factories.applications import drafting

pytestmark = pytest.mark.django_db

UNKNOWN_POSTAL_CODE = "000-0000"


def number_inputs(html: str) -> list[str]:
    return re.findall(r"<input[^>]*type=\"number\"[^>]*>", html)


def test_no_number_box_of_the_application_is_type_number(programme):
    s = drafting(programme)
    round_obj = s.application.round
    for form in (
        BudgetLineForm(round_obj=round_obj),
        DisclosureForm(instance=s.application),
        ProfileForm(instance=s.application),
    ):
        assert number_inputs(str(form)) == [], type(form).__name__
    html = str(BudgetLineForm(round_obj=round_obj))
    for name in ("quantity", "unit_price_yen"):
        tag = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", html)
        assert tag and 'inputmode="numeric"' in tag.group(0), name
    disclosure = str(DisclosureForm(instance=s.application))
    tag = re.search(r"<input[^>]*name=\"success_fee_percent\"[^>]*>", disclosure)
    assert tag and 'inputmode="decimal"' in tag.group(0)


def test_the_budget_line_page_offers_text_boxes_and_takes_full_width_digits(programme):
    s = drafting(programme)
    client = signed_in(s.advisor)
    page = client.get(f"/applications/{s.application.pk}/budget/lines/new/").content.decode()
    assert number_inputs(page) == []
    response = client.post(
        f"/applications/{s.application.pk}/budget/lines/new/",
        {
            "category": "software",
            "item": "クラウド受発注",
            "vendor": "株式会社クラウド",
            "quantity": "１２",
            "unit_price_yen": "１２，０００",
            "tax_rate_percent": "10",
        },
    )
    assert response.status_code == 302
    line = s.application.budget_lines.get()
    assert (line.quantity, line.unit_price_yen) == (12, 12_000)


def test_the_success_fee_takes_full_width_digits(programme):
    s = drafting(programme)
    response = signed_in(s.advisor).post(
        f"/applications/{s.application.pk}/disclosure/",
        {
            "revision": 0,
            "fee_amount_yen": "５５０，０００",
            "fee_basis": "定額",
            "fee_timing": "on_payment",
            "success_fee_percent": "１２．５",
            "advisor_sells_budget_items": "false",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(pk=s.application.pk)
    assert str(application.success_fee_percent) == "12.50"


def test_an_unknown_postal_code_is_refused_with_a_message_and_not_saved(programme):
    s = drafting(programme)
    url = f"/applications/{s.application.pk}/profile/"
    data = {
        "revision": s.application.profile_revision,
        "company_name": s.application.company_name,
        "postal_code": UNKNOWN_POSTAL_CODE,
    }
    client = signed_in(s.applicant)
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors["postal_code"]
    assert "000-0000" in errors[0] and "見つかりません" in errors[0]
    # The autosave says the same (htmx answers are always 200).
    autosave = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "見つかりません" in autosave
    assert Application.objects.get(pk=s.application.pk).postal_code == ""
    assert client.post(url, data | {"postal_code": "１００－０００１"}).status_code == 302
    assert Application.objects.get(pk=s.application.pk).postal_code == "100-0001"


def test_the_profile_form_and_the_firm_registration_refuse_an_unknown_postal_code():
    profile = ProfileForm(data={"revision": 0, "company_name": "株式会社テスト", "postal_code": "0000000"})
    assert not profile.is_valid() and "見つかりません" in profile.errors["postal_code"][0]
    address = AddressForm(data={"postal_code": UNKNOWN_POSTAL_CODE}, firm=AdvisorFirm(name="テスト支援"))
    address.is_valid()
    assert "postal_code" in address.errors and "見つかりません" in address.errors["postal_code"][0]
