"""Emails go out once per event, from tasks that take ids and are enqueued on commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.support import tasks
from dxgrant.support.models import ClientInvitation
from dxgrant.support.services import engagements, invitations
from tests.factories import UserFactory
from tests.factories.support import hearing_for, session_for

pytestmark = pytest.mark.django_db


def test_the_email_waits_for_the_commit(advisor, round_open, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        engagements.start_engagement(
            actor=advisor,
            round=round_open,
            company_name="株式会社テスト",
            representative_name="代表 太郎",
            representative_email="daihyo@example.jp",
        )
    assert len(callbacks) == 1 and mail.outbox == []


def test_the_invitation_email_is_sent_once_per_link(engagement, advisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite_staff(
            actor=engagement.members.get().user, engagement=engagement, name="担当", email="tanto@example.jp"
        )
    tasks.send_client_invitation.call(invitation.pk)
    assert len(mail.outbox) == 1
    link = invitation.link_token()
    assert link in mail.outbox[0].body
    # A resend is a new link and one new email.
    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend_invitation(actor=advisor, invitation=invitation)
    tasks.send_client_invitation.call(invitation.pk)
    assert len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.link_token() in mail.outbox[1].body and link not in mail.outbox[1].body


def test_a_double_click_on_resend_sends_one_new_link(engagement, advisor, django_capture_on_commit_callbacks):
    invitation = invitations.create_invitation(
        actor=advisor, engagement=engagement, name="担当", email="tanto@example.jp", role="staff"
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend_invitation(actor=advisor, invitation=invitation)
        invitations.resend_invitation(actor=advisor, invitation=invitation)
    assert ClientInvitation.objects.get().send_count == 2
    assert len(mail.outbox) == 1


def test_no_invitation_email_after_it_was_revoked(engagement, advisor):
    invitation = invitations.create_invitation(
        actor=advisor, engagement=engagement, name="担当", email="tanto@example.jp", role="staff"
    )
    invitations.revoke_invitation(actor=advisor, invitation=invitation)
    tasks.send_client_invitation.call(invitation.pk)
    assert mail.outbox == []


def test_the_hearing_notice_goes_to_the_representative_once_in_their_language(engagement, representative):
    representative.preferred_language = "en"
    representative.save()
    hearing = hearing_for(engagement)
    tasks.send_hearing_recorded.call(hearing.pk)
    tasks.send_hearing_recorded.call(hearing.pk)
    assert [m.to for m in mail.outbox] == [[representative.email]]
    assert mail.outbox[0].subject == "Please confirm a hearing record"


def test_the_session_notice_goes_to_each_member_once(engagement, representative):
    staff = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=staff, role="staff")
    session = session_for(engagement, starts_at=timezone.now() + dt.timedelta(days=2))
    tasks.send_session_scheduled.call(session.pk)
    tasks.send_session_scheduled.call(session.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([representative.email, staff.email])


def test_a_cancelled_session_is_not_announced(engagement):
    session = session_for(
        engagement, starts_at=timezone.now() + dt.timedelta(days=2), cancelled_at=timezone.now()
    )
    tasks.send_session_scheduled.call(session.pk)
    assert mail.outbox == []
