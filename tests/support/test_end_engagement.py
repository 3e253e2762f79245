"""Ending the support (支援の終了): the company's right to choose its advisor, and the firm's to
stop. An unsubmitted application closes with it and frees the company's place in the round."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services.creation import ensure_application
from dxgrant.integrity.models import AuditEntry
from dxgrant.support.models import (
    ClientInvitation,
    Engagement,
    EngagementMember,
    EngagementRole,
    EngagementStatus,
)
from dxgrant.support.services import ending, engagements, invitations
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.rounds import open_round
from tests.factories.support import corporate_number, engagement_for, representative_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def supported(programme):  # type: ignore[no-untyped-def]
    firm = certified_firm(programme, name="終了支援株式会社")
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, open_round(programme), corporate_number=corporate_number())
    application = ensure_application(engagement=engagement, actor=advisor)
    return engagement, advisor, representative_of(engagement), application


def test_the_representative_ends_the_support_and_may_then_choose_another_firm(
    supported, programme, django_capture_on_commit_callbacks
):
    engagement, advisor, representative, application = supported
    invitations.create_invitation(
        actor=representative,
        engagement=engagement,
        name="担当",
        email="staff@co.example.jp",
        role=EngagementRole.STAFF,
    )
    client = signed_in(representative)
    url = f"/support/engagements/{engagement.pk}/end/"
    page = client.get(url).content.decode()
    assert "提出前の申請は終了し" in page
    assert client.post(url, {"reason": "別の事業者に相談します"}).status_code == 400  # not confirmed
    assert Engagement.objects.get(pk=engagement.pk).status == EngagementStatus.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "別の事業者に相談します", "confirm": "on"})
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ENDED and engagement.ended_by == representative
    assert Application.objects.get(pk=application.pk).status == workflow.WITHDRAWN
    assert not ClientInvitation.objects.filter(engagement=engagement, revoked_at__isnull=True).exists()
    assert {m.to[0] for m in mail.outbox} == {representative.email, advisor.email}
    assert all("別の事業者に相談します" in m.body for m in mail.outbox)
    assert AuditEntry.objects.filter(action="support.engagement_ended").count() == 1
    assert "この支援は終了しました" in client.get(f"/support/my/{engagement.pk}/").content.decode()
    # A second click explains; nothing more happens.
    again = client.post(url, {"confirm": "on"}, follow=True)
    assert "この支援は終了しています" in again.content.decode()
    # Another firm may now support the company, and the company may accept.
    other_firm = certified_firm(programme, name="次の支援株式会社")
    other = advisor_of(other_firm)
    fresh = engagements.start_engagement(
        actor=other,
        round=engagement.round,
        company_name=engagement.company_name,
        corporate_number=engagement.corporate_number,
        representative_name="代表",
        representative_email=representative.email,
        submission_token=uuid.uuid4(),
        repeat_confirmed=True,  # the same 法人番号 again in the round: the advisor confirmed it
    )
    invitations.accept_invitation(
        actor=representative, invitation=ClientInvitation.objects.get(engagement=fresh)
    )
    assert Application.objects.get(engagement=fresh).status == workflow.DRAFTING


def test_the_firm_may_end_its_support_too(supported):
    engagement, advisor, representative, application = supported
    ending.end_engagement(actor=advisor, engagement=engagement, reason="")
    assert Engagement.objects.get(pk=engagement.pk).status == EngagementStatus.ENDED
    assert Application.objects.get(pk=application.pk).status == workflow.WITHDRAWN


def test_a_submitted_application_must_be_withdrawn_first(supported):
    engagement, advisor, representative, application = supported
    Application.objects.filter(pk=application.pk).update(status=workflow.SUBMITTED)
    response = signed_in(representative).post(f"/support/engagements/{engagement.pk}/end/", {"confirm": "on"})
    assert response.status_code == 400 and "提出済みの申請があるため" in response.content.decode()
    assert Engagement.objects.get(pk=engagement.pk).status == EngagementStatus.ACTIVE
    assert Application.objects.get(pk=application.pk).status == workflow.SUBMITTED


def test_only_the_representative_or_the_firm_may_end_it(supported, programme):
    engagement, advisor, representative, application = supported
    delegated = UserFactory(role=Role.APPLICANT)
    EngagementMember.objects.create(engagement=engagement, user=delegated, role=EngagementRole.STAFF)
    url = f"/support/engagements/{engagement.pk}/end/"
    assert signed_in(delegated).post(url, {"confirm": "on"}).status_code == 403
    assert signed_in(UserFactory(role=Role.SECRETARIAT)).post(url, {"confirm": "on"}).status_code == 403
    stranger = advisor_of(certified_firm(programme, name="無関係株式会社"))
    assert signed_in(stranger).post(url, {"confirm": "on"}).status_code == 404
    assert Engagement.objects.get(pk=engagement.pk).status == EngagementStatus.ACTIVE
    # The delegated staff member does not see the control; the representative does.
    assert "支援を終了する" not in signed_in(delegated).get(f"/support/my/{engagement.pk}/").content.decode()
    assert "支援を終了する" in signed_in(representative).get(f"/support/my/{engagement.pk}/").content.decode()
