"""In English the staff list names rounds and prefectures in English, in the table and in the
filters (issue 9, item 16)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from tests.factories.applications import make_application

pytestmark = pytest.mark.django_db


def cells(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
        for c in re.findall(r"<td>(.*?)</td>", body, re.S)
    ]


def test_the_staff_list_in_english_names_rounds_and_prefectures_in_english(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = make_application(programme, company_name="英語表示株式会社", prefecture="大阪府")
    app.round.name_ja, app.round.name_en = "令和8年度 第1回", "FY2026 Round 1"
    app.round.save()
    client = client_for(Role.SECRETARIAT)
    row = cells(client.get("/staff/applications/").content.decode())
    assert "令和8年度 第1回" in row and "大阪府" in row
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/staff/applications/").content.decode()
    row = cells(html)
    assert "FY2026 Round 1" in row, row
    assert "Osaka" in row, row
    visible = re.sub(r"<[^>]+>", " ", html)
    assert "大阪府" not in visible
    assert "令和8年度 第1回" not in visible
    assert '<option value="大阪府">Osaka</option>' in html
    # The filter still works on the stored (Japanese) value.
    found = client.get("/staff/applications/", {"prefecture": "大阪府"}).content.decode()
    assert "英語表示株式会社" in found
