"""One live application per company and round: a second attempt, through any firm, is refused
at every door (starting support, accepting the invitation, creating the application) and the
secretariat sees each attempt, even though the refused request rolls back."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications.models import Application, RefusedDuplicate
from dxgrant.applications.services.duplicates import company_key
from dxgrant.integrity.models import AuditEntry
from dxgrant.support.models import ClientInvitation, Engagement
from dxgrant.support.services import engagements as support_engagements
from dxgrant.support.services import invitations as support_invitations
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.applications import drafting
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for

pytestmark = pytest.mark.django_db

REFUSED = "すでに申請を進めています"


def start(client: Client, round_pk: int, *, company: str, number: str = "", email: str) -> str:
    response = client.post(
        "/support/engagements/new/",
        {
            "round": str(round_pk),
            "company_name": company,
            "corporate_number": number,
            "representative_name": "代表 太郎",
            "representative_email": email,
            "submission_token": str(uuid.uuid4()),
        },
    )
    return response.content.decode()


def test_starting_support_for_a_company_already_applying_is_refused_and_recorded(programme):
    s = drafting(programme)
    other_firm = certified_firm(programme, name="後発支援株式会社")
    other = advisor_of(other_firm)
    before = Engagement.objects.count()
    page = start(
        signed_in(other),
        s.application.round_id,
        company=s.application.company_name,
        number=s.application.corporate_number,
        email="rep@later.example.jp",
    )
    # The company already applies in the round (the refusal of a live application, not the one
    # for a company another firm already supports).
    assert REFUSED in page and "すでに別の認定事業者の支援を受けています" not in page
    assert Engagement.objects.count() == before
    assert not ClientInvitation.objects.filter(email="rep@later.example.jp").exists()
    refused = RefusedDuplicate.objects.get()
    assert (refused.firm, refused.attempted_by, refused.company_key) == (
        other_firm,
        other,
        s.application.company_key,
    )
    assert AuditEntry.objects.filter(action="application.duplicate_refused", actor=other).exists()


def test_sole_proprietor_by_name_is_refused_at_start(programme):
    round_obj = open_round(programme)
    firm = certified_firm(programme, name="先行支援株式会社")
    advisor = advisor_of(firm)
    first = engagement_for(firm, advisor, round_obj, corporate_number="", company_name="山田 商店")
    from dxgrant.applications.services.creation import ensure_application

    ensure_application(engagement=first, actor=advisor)
    other_firm = certified_firm(programme, name="後発支援株式会社")
    other = advisor_of(other_firm)
    # Full-width letters and spaces do not make it another company.
    page = start(signed_in(other), round_obj.pk, company="山田　商店", email="yamada@shop.example.jp")
    assert REFUSED in page
    assert RefusedDuplicate.objects.get().company_key == company_key(
        corporate_number="", company_name="山田商店"
    )


def _two_firms_invite_the_same_shop(programme):  # type: ignore[no-untyped-def]
    """Two firms invite the same sole proprietor before either invitation is accepted."""
    round_obj = open_round(programme)
    firms = [certified_firm(programme, name=n) for n in ("一番支援株式会社", "二番支援株式会社")]
    advisors = [advisor_of(f) for f in firms]
    invitations = []
    for advisor, email in zip(advisors, ("a@shop.example.jp", "b@shop.example.jp"), strict=True):
        engagement = support_engagements.start_engagement(
            actor=advisor,
            round=round_obj,
            company_name="佐藤工房",
            representative_name="佐藤 次郎",
            representative_email=email,
            submission_token=uuid.uuid4(),
        )
        invitations.append(ClientInvitation.objects.get(engagement=engagement))
    first = UserFactory(role=Role.APPLICANT, email="a@shop.example.jp")
    support_invitations.accept_invitation(actor=first, invitation=invitations[0])
    return firms, advisors, invitations


def test_accepting_a_second_invitation_is_refused_and_recorded(programme):
    firms, advisors, invitations = _two_firms_invite_the_same_shop(programme)
    second = UserFactory(role=Role.APPLICANT, email="b@shop.example.jp")
    token = invitations[1].link_token()
    response = signed_in(second).post(f"/support/invitations/accept/{token}/")
    assert REFUSED in response.content.decode()
    assert Application.objects.count() == 1
    invitations[1].refresh_from_db()
    assert invitations[1].accepted_at is None  # the link stays unspent
    refused = RefusedDuplicate.objects.get()
    assert (refused.firm, refused.attempted_by) == (firms[1], second)


def test_a_new_account_refused_as_duplicate_is_recorded_under_the_inviting_advisor(programme):
    firms, advisors, invitations = _two_firms_invite_the_same_shop(programme)
    token = invitations[1].link_token()
    response = Client().post(
        f"/support/invitations/accept/{token}/",
        {"display_name": "佐藤 次郎", "password1": "kH7#mq2-Lp9x", "password2": "kH7#mq2-Lp9x"},
    )
    assert REFUSED in response.content.decode()
    assert not Application.objects.filter(engagement=invitations[1].engagement).exists()
    assert not UserFactory._meta.model.objects.filter(email="b@shop.example.jp").exists()
    refused = RefusedDuplicate.objects.get()
    assert (refused.firm, refused.attempted_by) == (firms[1], advisors[1])
    entry = AuditEntry.objects.get(action="application.duplicate_refused")
    assert entry.actor is None and "b@shop.example.jp" in entry.changes["detail"]


def test_the_secretariat_list_shows_refused_attempts(programme):
    firms, advisors, invitations = _two_firms_invite_the_same_shop(programme)
    second = UserFactory(role=Role.APPLICANT, email="b@shop.example.jp")
    token = invitations[1].link_token()
    signed_in(second).post(f"/support/invitations/accept/{token}/")
    staff = UserFactory(role=Role.SECRETARIAT)
    page = signed_in(staff).get("/staff/applications/").content.decode()
    assert "二番支援株式会社" in page


def test_invitation_links_last_as_long_as_the_round_says(programme):
    round_obj = open_round(programme)
    round_obj.application_rules = {**round_obj.application_rules, "invitation_valid_hours": 24}
    round_obj.save(update_fields=["application_rules"])
    firm = certified_firm(programme, name="期限支援株式会社")
    advisor = advisor_of(firm)
    engagement = support_engagements.start_engagement(
        actor=advisor,
        round=round_obj,
        company_name="期限商会",
        representative_name="期限 花子",
        representative_email="limit@example.jp",
        submission_token=uuid.uuid4(),
    )
    invitation = ClientInvitation.objects.get(engagement=engagement)
    assert invitation.expires_at - invitation.issued_at == dt.timedelta(hours=24)
    round_obj.application_rules = {**round_obj.application_rules, "invitation_valid_hours": 6}
    round_obj.save(update_fields=["application_rules"])
    ClientInvitation.objects.filter(pk=invitation.pk).update(
        issued_at=timezone.now() - dt.timedelta(minutes=5), send_count=2
    )
    resent = support_invitations.resend_invitation(actor=advisor, invitation=invitation)
    assert resent.expires_at - resent.issued_at == dt.timedelta(hours=6)
    page = signed_in(advisor).get("/support/engagements/new/").content.decode()
    assert "リンクの有効期限は6時間です" in page
