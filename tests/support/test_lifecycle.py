"""The engagement's lifecycle is one table (support/lifecycle.py): the services fire its
transitions, the pages offer what it allows, and the database holds only its states."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from dxgrant.accounts.models import Role
from dxgrant.integrity.models import AuditEntry
from dxgrant.support import lifecycle, policies
from dxgrant.support.lifecycle import ENGAGEMENT, EngagementStatus
from dxgrant.support.models import (
    ClientInvitation,
    Engagement,
    EngagementRole,
    HearingRecord,
    TrainingSession,
)
from dxgrant.support.services import ending, engagements, invitations
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.support import hearing_for, session_for

pytestmark = pytest.mark.django_db


def test_the_table_says_who_may_fire_what_from_where():
    assert ENGAGEMENT.allows("accept", EngagementStatus.INVITED, lifecycle.REPRESENTATIVE)
    assert not ENGAGEMENT.allows("accept", EngagementStatus.INVITED, lifecycle.ADVISOR)
    assert not ENGAGEMENT.allows("accept", EngagementStatus.ACTIVE)
    for state in (EngagementStatus.INVITED, EngagementStatus.ACTIVE):
        assert ENGAGEMENT.allows("end", state, lifecycle.REPRESENTATIVE)
        assert ENGAGEMENT.allows("end", state, lifecycle.ADVISOR)
        assert not ENGAGEMENT.allows("end", state, lifecycle.COMPANY_STAFF)
    assert ENGAGEMENT.from_state(EngagementStatus.ENDED) == [], "nothing leaves ended"
    assert ENGAGEMENT.guards_of("end") == (lifecycle.APPLICATION_NOT_SUBMITTED,)


def test_accepting_the_representatives_invitation_fires_accept_with_its_audit_entry(advisor, round_open):
    engagement = engagements.start_engagement(
        actor=advisor,
        round=round_open,
        company_name="株式会社ライフ",
        representative_name="代表 花子",
        representative_email="daihyo@life.example.jp",
    )
    assert engagement.status == EngagementStatus.INVITED
    person = UserFactory(role=Role.APPLICANT, email="daihyo@life.example.jp")
    invitations.accept_invitation(
        actor=person, invitation=ClientInvitation.objects.get(engagement=engagement)
    )
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    entry = AuditEntry.objects.get(action="support.engagement_accepted")
    assert entry.actor == person and entry.object_id == str(engagement.pk)


def test_a_staff_invitation_accepted_changes_no_state(engagement, representative):
    invitation = invitations.create_invitation(
        actor=representative, engagement=engagement, name="担当", email="tanto@example.jp", role="staff"
    )
    person = UserFactory(role=Role.APPLICANT, email="tanto@example.jp")
    invitations.accept_invitation(actor=person, invitation=invitation)
    assert not AuditEntry.objects.filter(action="support.engagement_accepted").exists()
    assert engagement.members.get(user=person).role == EngagementRole.STAFF


def test_the_pages_offer_ending_to_the_sides_the_table_names(engagement, representative, advisor):
    staff = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=staff, role="staff")
    engagement = Engagement.objects.prefetch_related("members").get(pk=engagement.pk)
    assert [t.name for t in policies.actions_for(representative, engagement)] == ["end"]
    assert [t.name for t in policies.actions_for(advisor, engagement)] == ["end"]
    assert policies.actions_for(staff, engagement) == []
    ending.end_engagement(actor=representative, engagement=engagement)
    engagement = Engagement.objects.prefetch_related("members").get(pk=engagement.pk)
    assert policies.actions_for(representative, engagement) == []
    assert "この支援は終了しました" in _detail(representative, engagement)


def _detail(user, engagement) -> str:  # type: ignore[no-untyped-def]
    return signed_in(user).get(f"/support/my/{engagement.pk}/").content.decode()


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Engagement, "status", "paused"),
        (HearingRecord, "response", "maybe"),
        (TrainingSession, "format", "hybrid"),
    ],
)
def test_the_database_holds_only_the_declared_states(engagement, model, field, value):
    hearing_for(engagement)
    session_for(engagement)
    row = model.objects.order_by("pk").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: value})


def test_the_database_holds_only_the_declared_roles(engagement):
    member = engagement.members.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(member).objects.filter(pk=member.pk).update(role="owner")
