"""Who sees what: another firm's advisor sees nothing (404), another company's people see
nothing (404), a suspended firm's advisor reads but does nothing new (403 with the reason),
the secretariat and auditors read everything and change nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import CertificationState
from dxgrant.integrity.models import AuditEntry
from dxgrant.support.models import ClientInvitation, HearingRecord, TrainingSession
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.support import engagement_for, hearing_for, session_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(engagement, advisor):  # type: ignore[no-untyped-def]
    from dxgrant.support.services import invitations

    invitation = invitations.create_invitation(
        actor=advisor, engagement=engagement, name="担当", email="staff@example.jp", role="staff"
    )
    return {
        "e": engagement.pk,
        "h": hearing_for(engagement).pk,
        "s": session_for(engagement, starts_at=timezone.now() + dt.timedelta(days=2)).pk,
        "i": invitation.pk,
    }


READS = [
    "/support/engagements/{e}/",
    "/support/engagements/{e}/attendance/",
    "/support/hearings/{h}/",
    "/support/training/{s}/",
]
ADVISOR_ACTS = [
    ("get", "/support/engagements/{e}/hearings/new/"),
    ("get", "/support/engagements/{e}/training/new/"),
    ("get", "/support/hearings/{h}/edit/"),
    ("get", "/support/training/{s}/code/"),
    ("post", "/support/training/{s}/cancel/"),
    ("post", "/support/invitations/{i}/resend/"),
    ("post", "/support/invitations/{i}/revoke/"),
]
APPLICANT_ACTS = [
    ("get", "/support/my/{e}/"),
    ("get", "/support/my/{e}/quiz/"),
    ("get", "/support/my/{e}/staff/new/"),
    ("get", "/support/training/{s}/check-in/"),
    ("post", "/support/hearings/{h}/respond/"),
]
EVERY_URL = [("get", url) for url in READS] + ADVISOR_ACTS + APPLICANT_ACTS


def nothing_changed(engagement) -> bool:  # type: ignore[no-untyped-def]
    return (
        not AuditEntry.objects.filter(action__startswith="support.")
        .exclude(action="support.invitation_created")
        .exists()
        and HearingRecord.objects.filter(engagement=engagement, response="pending").count() == 1
        and not TrainingSession.objects.filter(cancelled_at__isnull=False).exists()
        and not ClientInvitation.objects.filter(revoked_at__isnull=False).exists()
    )


@pytest.mark.parametrize(("method", "url"), EVERY_URL)
def test_an_advisor_of_another_firm_sees_nothing(objects, other_firm_advisor, engagement, method, url):
    client = signed_in(other_firm_advisor)
    response = getattr(client, method)(url.format(**objects), {"response": "acknowledged", "revision": 1})
    assert response.status_code == 404
    assert nothing_changed(engagement)


@pytest.mark.parametrize(("method", "url"), EVERY_URL)
def test_a_person_of_another_company_sees_nothing(
    objects, firm, advisor, round_open, engagement, method, url
):
    stranger = UserFactory(role=Role.APPLICANT)
    engagement_for(firm, advisor, round_open, representative=stranger)
    response = getattr(signed_in(stranger), method)(
        url.format(**objects), {"response": "acknowledged", "revision": 1}
    )
    assert response.status_code == 404
    assert nothing_changed(engagement)


def test_the_dashboard_lists_only_the_firms_own_engagements(engagement, other_firm_advisor, round_open):
    other_firm = other_firm_advisor.firm_memberships.get().firm
    theirs = engagement_for(other_firm, other_firm_advisor, round_open, company_name="他社の支援先")
    page = signed_in(other_firm_advisor).get("/support/").content.decode()
    assert theirs.company_name in page and engagement.company_name not in page


@pytest.mark.parametrize("url", READS)
@pytest.mark.parametrize("state", [CertificationState.SUSPENDED, CertificationState.REVOKED])
def test_a_suspended_or_revoked_firms_advisor_still_reads(objects, firm, advisor, url, state):
    firm.certification_state = state
    firm.save()
    assert signed_in(advisor).get(url.format(**objects)).status_code == 200


@pytest.mark.parametrize(("method", "url"), ADVISOR_ACTS)
def test_a_suspended_firms_advisor_does_nothing_new(objects, firm, advisor, engagement, method, url):
    firm.certification_state = CertificationState.SUSPENDED
    firm.save()
    response = getattr(signed_in(advisor), method)(url.format(**objects))
    assert response.status_code == 403
    assert "認定が停止されているため" in response.content.decode()
    assert nothing_changed(engagement)


def test_a_suspended_firms_pages_hide_the_buttons(objects, firm, advisor):
    firm.certification_state = CertificationState.SUSPENDED
    firm.save()
    client = signed_in(advisor)
    detail = client.get(f"/support/engagements/{objects['e']}/").content.decode()
    for label in ("ヒアリング記録を作成する", "研修を登録する", "再送する", "取り消す"):
        assert label not in detail
    session = client.get(f"/support/training/{objects['s']}/").content.decode()
    assert "この研修を中止する" not in session


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR])
def test_staff_read_everything_and_change_nothing(objects, engagement, client_for, role):
    client = client_for(role)
    for url in READS:
        assert client.get(url.format(**objects)).status_code == 200, url
    assert engagement.company_name in client.get("/support/staff/").content.decode()
    for method, url in ADVISOR_ACTS + APPLICANT_ACTS:
        response = getattr(client, method)(url.format(**objects), {"response": "acknowledged", "revision": 1})
        # The applicant's page sends staff to the read-only detail instead.
        expected = 302 if url == "/support/my/{e}/" else 403
        assert response.status_code == expected, url
    created = client.post(
        f"/support/engagements/{engagement.pk}/hearings/new/",
        {
            "held_on": "2026-11-01",
            "attendees": "x",
            "topics": "x",
            "challenges": "x",
            "next_steps": "x",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert created.status_code == 403
    assert nothing_changed(engagement)


def test_staff_list_filters(engagement, firm, advisor, round_open, client_for):
    other = engagement_for(firm, advisor, round_open, company_name="有限会社べつの会社", invited=True)
    client = client_for(Role.AUDITOR)
    active = client.get("/support/staff/?status=active").content.decode()
    assert engagement.company_name in active and other.company_name not in active
    found = client.get("/support/staff/?q=べつの").content.decode()
    assert other.company_name in found and engagement.company_name not in found
    typed = f"{engagement.corporate_number[:1]}-{engagement.corporate_number[1:5]}-{engagement.corporate_number[5:]}"
    by_number = client.get("/support/staff/", {"q": typed}).content.decode()
    assert engagement.company_name in by_number and other.company_name not in by_number


def test_the_applicant_is_sent_to_their_own_page(representative, engagement):
    client = signed_in(representative)
    assert client.get("/support/")["Location"] == "/support/my/"
    assert client.get(f"/support/engagements/{engagement.pk}/")["Location"] == f"/support/my/{engagement.pk}/"
    assert engagement.company_name in client.get("/support/my/").content.decode()


def test_an_advisor_without_a_firm_is_told_why(client_for):
    response = client_for(Role.ADVISOR).get("/support/")
    assert response.status_code == 403
    assert "認定事業者に所属するアドバイザーのみ" in response.content.decode()


def test_staff_list_search_folds_kana_and_width(firm, advisor, round_open, client_for):
    """Issue 9, item 13: the same normalisation as the other searches (dxgrant.japan.search)."""
    other = engagement_for(firm, advisor, round_open, company_name="有限会社ケヤキ商店", invited=True)
    client = client_for(Role.AUDITOR)
    for typed in ("けやき", "ｹﾔｷ", "ケヤキ　商店"):
        page = client.get("/support/staff/", {"q": typed}).content.decode()
        assert other.company_name in page, typed
    # The firm's name, typed in half-width kana, finds its engagements too.
    kana_firm = certified_firm(firm.programme, name="カエデ支援株式会社")
    mine = engagement_for(kana_firm, advisor_of(kana_firm), round_open, company_name="株式会社つばき")
    page = client.get("/support/staff/", {"q": "ｶｴﾃﾞ"}).content.decode()
    assert mine.company_name in page and other.company_name not in page
