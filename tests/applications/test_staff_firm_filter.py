"""The staff list's firm filter is a search field with suggestions, not one <option> per firm
(issue 9, item 19: 201 firms rendered 299 options, and 5,000 firms would be a page of them)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.programs.models import Programme
from tests.factories.advisors import certified_firm, firm_with_advisor
from tests.factories.applications import make_application

pytestmark = pytest.mark.django_db

LIST = "/staff/applications/"
SUGGEST = "/staff/applications/firms/"


def options(html: str) -> int:
    return len(re.findall(r"<option\b", html))


def with_application(programme: Programme, name: str, **fields: object) -> AdvisorFirm:
    firm, advisor = firm_with_advisor(programme, name=name, **fields)
    make_application(programme, firm=firm, advisor=advisor, company_name=f"{name}の支援先")
    return firm


def test_the_page_does_not_grow_with_the_number_of_firms(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    with_application(programme, "最初の支援株式会社")
    client = client_for(Role.SECRETARIAT)
    few = options(client.get(LIST).content.decode())
    for i in range(25):
        with_application(programme, f"追加の支援{i}株式会社")
    many = client.get(LIST).content.decode()
    assert options(many) == few
    assert "追加の支援7株式会社" not in many.split("<table")[0]  # no firm listed in the filters


def test_part_of_a_firm_name_however_typed_filters_the_list(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    sakura = with_application(programme, "さくら経営支援株式会社", name_kana="サクラケイエイシエン")
    with_application(programme, "もみじ経営支援株式会社")
    client = client_for(Role.SECRETARIAT)

    def companies(firm: str) -> set[str]:
        response = client.get(LIST, {"firm": firm})
        assert response.status_code == 200
        return {a.company_name for a in response.context["applications"]}

    assert companies("さくら") == {"さくら経営支援株式会社の支援先"}
    assert companies("ｻｸﾗ") == {"さくら経営支援株式会社の支援先"}
    assert companies("経営支援") == {"さくら経営支援株式会社の支援先", "もみじ経営支援株式会社の支援先"}
    assert companies(sakura.certification_number) == {"さくら経営支援株式会社の支援先"}
    assert companies("どこにもない") == set()


def test_a_whole_certification_number_means_that_firm_only(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    """DX-2018-00001 is also the start of DX-2018-000010: a whole number picks one firm."""
    prefix = programme.certification_rules.number_prefix
    first = with_application(programme, "一番の支援株式会社", certification_number=f"{prefix}-2018-00001")
    with_application(programme, "十番の支援株式会社", certification_number=f"{prefix}-2018-000010")
    client = client_for(Role.SECRETARIAT)
    typed = f"{prefix.lower()}－２０１８－０００01"  # lower case, full-width digits and hyphens
    response = client.get(LIST, {"firm": typed})
    assert {a.firm_id for a in response.context["applications"]} == {first.pk}


def test_suggestions_are_firms_with_applications_matching_what_was_typed(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    sakura = with_application(programme, "さくら経営支援株式会社")
    certified_firm(programme, name="さくら未申請支援株式会社")  # no application: not suggested
    for i in range(15):
        with_application(programme, f"さくら支店{i}支援株式会社")
    client = client_for(Role.AUDITOR)
    html = client.get(SUGGEST, {"firm": "さくら経営"}).content.decode()
    assert f'<option value="{sakura.certification_number}">さくら経営支援株式会社</option>' in html
    assert "未申請" not in html
    assert options(client.get(SUGGEST, {"firm": "ｻｸﾗ"}).content.decode()) == 10  # at most ten
    assert options(client.get(SUGGEST, {"firm": ""}).content.decode()) == 0
    # The list's field offers them to the browser's own suggestion list (keyboard-accessible).
    page = client.get(LIST).content.decode()
    field = re.search(r'<input[^>]*name="firm"[^>]*>', page)
    assert field is not None
    assert 'list="firm-suggestions"' in field.group(0)
    assert f'hx-get="{SUGGEST}"' in field.group(0)
    assert '<datalist id="firm-suggestions"' in page


def test_suggestions_are_for_staff_only(programme: Programme, client_for: Callable[[str], Client]) -> None:
    assert client_for(Role.ADVISOR).get(SUGGEST, {"firm": "さくら"}).status_code == 403
    assert Client().get(SUGGEST, {"firm": "さくら"}).status_code == 302
