"""The secretariat's application list finds what people type: a part of a receipt number, a
reading in hiragana, half-width kana, a 法人番号 with hyphens (issue 9, item 13), with one
normalisation (dxgrant.japan.search) for the stored text and the query."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.japan.corporate_number import check_digit
from dxgrant.programs.models import Programme
from tests.factories.applications import make_application

pytestmark = pytest.mark.django_db

LIST = "/staff/applications/"


def valid_number(base: str) -> str:
    return f"{check_digit(base)}{base}"


def found(client: Client, query: str) -> set[str]:
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    return {a.company_name for a in response.context["applications"]}


@pytest.fixture
def keyaki(programme: Programme) -> Application:
    return make_application(
        programme,
        company_name="株式会社欅電機",
        company_name_kana="ケヤキデンキ",
        corporate_number="5835678256246",
        receipt_number="DX-2026-000002",
    )


@pytest.fixture
def others(programme: Programme) -> list[Application]:
    return [
        make_application(
            programme,
            company_name="株式会社もみじ商会",
            company_name_kana="モミジショウカイ",
            corporate_number=valid_number("123456789012"),
            receipt_number="DX-2026-000123",
        ),
        make_application(
            programme,
            company_name="キャノン精機株式会社",
            company_name_kana="キャノンセイキ",
            corporate_number=valid_number("210987654321"),
            receipt_number="DX-2026-001000",
        ),
    ]


def test_a_part_of_a_receipt_number_finds_the_application(
    keyaki: Application, others: list[Application], client_for: Callable[[str], Client]
) -> None:
    client = client_for(Role.SECRETARIAT)
    assert found(client, "000002") == {"株式会社欅電機"}
    assert found(client, "2026-000002") == {"株式会社欅電機"}
    assert found(client, "ＤＸ－２０２６－０００００２") == {"株式会社欅電機"}
    assert found(client, "dx-2026-000002") == {"株式会社欅電機"}


def test_a_reading_in_hiragana_or_half_width_kana_finds_the_katakana_reading(
    keyaki: Application, others: list[Application], client_for: Callable[[str], Client]
) -> None:
    client = client_for(Role.AUDITOR)
    assert found(client, "けやき") == {"株式会社欅電機"}
    assert found(client, "ｹﾔｷ") == {"株式会社欅電機"}
    assert found(client, "けやきでんき") == {"株式会社欅電機"}
    # Small kana and the long vowel mark are typed either way.
    assert found(client, "きやのん") == {"キャノン精機株式会社"}
    assert found(client, "ｷﾔﾉﾝｾｲｷ") == {"キャノン精機株式会社"}


def test_a_corporate_number_with_hyphens_a_part_of_it_and_several_words(
    keyaki: Application, others: list[Application], client_for: Callable[[str], Client]
) -> None:
    client = client_for(Role.SECRETARIAT)
    assert found(client, "5-8356-7825-6246") == {"株式会社欅電機"}
    assert found(client, "５８３５６７８") == {"株式会社欅電機"}
    assert found(client, "株式会社　もみじ") == {"株式会社もみじ商会"}  # both words, anywhere
    assert found(client, "株式会社") == {"株式会社欅電機", "株式会社もみじ商会", "キャノン精機株式会社"}
    assert found(client, "存在しない") == set()


def test_search_still_sees_only_what_the_filters_allow(
    programme: Programme, keyaki: Application, client_for: Callable[[str], Client]
) -> None:
    make_application(programme, company_name="けやき食品株式会社", status=workflow.SCREENING)
    client = client_for(Role.SECRETARIAT)
    response = client.get(LIST, {"q": "けやき", "status": workflow.SCREENING})
    assert {a.company_name for a in response.context["applications"]} == {"けやき食品株式会社"}


def test_a_name_changed_in_the_profile_is_found_by_its_new_name(
    keyaki: Application, client_for: Callable[[str], Client]
) -> None:
    keyaki.company_name = "株式会社かしわ電機"
    keyaki.save(update_fields=["company_name"])
    client = client_for(Role.SECRETARIAT)
    assert found(client, "カシワ") == {"株式会社かしわ電機"}
    assert found(client, "欅") == set()
