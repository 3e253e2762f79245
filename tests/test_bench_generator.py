"""A smoke test of the benchmarks' data generator (bench/generate.py) at a few hundred rows: it
writes firms and submitted applications in bulk that the pages read like any others, with the
search columns a save would have written. The benchmarks themselves run in `make bench`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from bench.generate import Generator, company
from dxgrant.accounts.models import Role
from dxgrant.applications.models import Application
from dxgrant.programs.models import Programme
from dxgrant.support.models import Engagement
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db


def test_the_generator_loads_applications_the_pages_find(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    generator = Generator(programme, open_round(programme))
    generator.add_firms(12)
    generator.add_applications(150)
    generator.add_applications(150)  # in steps, as the benchmark does
    assert Application.objects.count() == Engagement.objects.count() == 300
    assert Application.objects.values("firm").distinct().count() == 12

    generated = Application.objects.get(receipt_number="DX-2026-000123")
    saved = Application.objects.get(pk=generated.pk)
    saved.save()  # what a save computes is what the generator wrote
    assert (saved.search_text, saved.search_grams) == (generated.search_text, generated.search_grams)

    name, reading = company(122)
    client = client_for(Role.SECRETARIAT)
    page = client.get("/staff/applications/", {"q": "2026-000123"})
    assert [a.company_name for a in page.context["applications"]] == [name]
    hiragana = "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in reading)
    page = client.get("/staff/applications/", {"q": hiragana})
    assert name in {a.company_name for a in page.context["applications"]}
