"""Demo advisor firms: one in each public state and one waiting for review, created once."""

from __future__ import annotations

import pytest
from django.test import Client

from dxgrant.advisors.demo import DEMO_FIRMS, seed_demo_firms
from dxgrant.advisors.models import AdvisorFirm, RegistrationStatus
from dxgrant.advisors.sections import registration_missing

pytestmark = pytest.mark.django_db


def test_demo_firms_cover_every_state_and_are_created_once(programme):
    seed_demo_firms(programme)
    seed_demo_firms(programme)
    firms = list(AdvisorFirm.objects.filter(created_by__email__endswith="@demo.dxgrant.jp"))
    assert len(firms) == len(DEMO_FIRMS)
    statuses = sorted(str(f.public_status() or f.registration_status) for f in firms)
    assert statuses == ["active", "active", "expired", "revoked", "submitted", "suspended"]
    for firm in firms:
        assert registration_missing(firm) == [], firm.name
    numbers = [f.certification_number for f in firms if f.certification_number]
    assert len(set(numbers)) == len(numbers) == 5
    page = Client().get("/advisors/").content.decode()
    assert "くすのきビジネス研究所" in page and "さくらデジタル経営支援株式会社" not in page
    assert AdvisorFirm.objects.get(registration_status=RegistrationStatus.SUBMITTED).documents.count() == 2


def test_demo_firms_are_refused_where_demo_data_is_off(programme, settings):
    settings.DXGRANT_DEMO_ENABLED = False
    with pytest.raises(Exception, match="Demo data is disabled"):
        seed_demo_firms(programme)
    assert not AdvisorFirm.objects.exists()
