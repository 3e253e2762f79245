"""The demo data agrees with itself: each firm's registration dates are the dates its history
records, a certification's validity starts on the day it was certified, and the demo round's
programme period is in its schedule and its guidelines PDF (issue 9, item 17)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from dxgrant.advisors.models import AdvisorFirm, RegistrationStatus
from dxgrant.demo.seed import DEMO_ROUND_CODE, seed_demo
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import verify_audit_chain
from dxgrant.programs.models import Round

pytestmark = pytest.mark.django_db


def recorded_on(firm: AdvisorFirm, action: str):  # type: ignore[no-untyped-def]
    entry = AuditEntry.objects.filter(
        object_type="advisors.advisorfirm", object_id=str(firm.pk), action=action
    ).get()
    return timezone.localdate(entry.created_at)


def test_each_demo_firms_dates_agree_with_its_history(programme):
    seed_demo()
    firms = list(AdvisorFirm.objects.exclude(registration_status=RegistrationStatus.DRAFT))
    assert len(firms) >= 7
    for firm in firms:
        submitted = recorded_on(firm, "advisor_firm.submitted")
        assert timezone.localdate(firm.submitted_at) == submitted, firm.name
        if firm.registration_status != RegistrationStatus.CERTIFIED:
            continue
        certified = recorded_on(firm, "advisor_firm.certified")
        assert timezone.localdate(firm.decided_at) == certified, firm.name
        assert firm.valid_from == certified, (firm.name, firm.valid_from, certified)
        assert submitted <= certified, firm.name
    # One of them has expired: certified long enough ago, and its history says so.
    expired = [f for f in firms if f.valid_until and f.valid_until < timezone.localdate()]
    assert expired
    assert verify_audit_chain().first_broken_seq is None


def test_the_demo_rounds_programme_period_is_in_its_schedule_and_guidelines(programme):
    seed_demo()
    demo_round = Round.objects.get(code=DEMO_ROUND_CODE)
    starts, ends = demo_round.programme_period_starts, demo_round.programme_period_ends
    page = Client().get("/schedule/").content.decode()
    assert "対象期間" in page
    assert f"{ends.year}年{ends.month}月{ends.day}日" in page
    pdf = Client().get(f"/rounds/{DEMO_ROUND_CODE}/guidelines.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "対象期間" in text
    assert f"{ends.year}年{ends.month}月{ends.day}日" in text.replace(" ", ""), text[:2000]
    assert starts <= demo_round.application_opens
