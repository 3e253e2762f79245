"""The acceptance page: the applicant accepts with a code; the advisor reads the conditions and a
forged POST of theirs is refused."""

from __future__ import annotations

import pytest

from dxgrant.applications import workflow
from dxgrant.awards.models import Acceptance
from tests.factories.accounts import enrol_totp, signed_in, totp_now

pytestmark = pytest.mark.django_db


def _url(awarded):
    return f"/applications/{awarded.application.pk}/acceptance/"


def test_the_applicant_accepts_with_a_code(awarded):
    client = signed_in(awarded.applicant)
    page = client.get(_url(awarded))
    assert page.status_code == 200
    assert "報告の義務" in page.text and "受諾の期限" in page.text
    missing = client.post(_url(awarded), {"code": totp_now(awarded.applicant)})
    assert missing.status_code == 400 and "チェックを入れてください" in missing.text
    wrong = client.post(_url(awarded), {"code": "000000", "confirm": "on"})
    assert wrong.status_code == 400 and "認証コードが正しくない" in wrong.text
    done = client.post(_url(awarded), {"code": totp_now(awarded.applicant), "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"/applications/{awarded.application.pk}/"
    awarded.application.refresh_from_db()
    assert awarded.application.status == workflow.ACCEPTED
    assert "交付条件を受諾しました" in client.get(_url(awarded)).text


def test_in_english(awarded):
    client = signed_in(awarded.applicant)
    client.cookies["django_language"] = "en"
    page = client.get(_url(awarded))
    assert "Reporting" in page.text


def test_the_advisor_reads_and_is_refused(awarded):
    enrol_totp(awarded.advisor)
    client = signed_in(awarded.advisor)
    page = client.get(_url(awarded))
    assert page.status_code == 200 and "申請者ご本人のみ" in page.text and 'name="code"' not in page.text
    forged = client.post(_url(awarded), {"code": totp_now(awarded.advisor), "confirm": "on"})
    assert forged.status_code == 403
    awarded.application.refresh_from_db()
    assert awarded.application.status == workflow.NOTIFIED and not Acceptance.objects.exists()


def test_staff_cannot_accept(awarded):
    forged = signed_in(awarded.secretariat).post(_url(awarded), {"code": "123456", "confirm": "on"})
    assert forged.status_code == 403
