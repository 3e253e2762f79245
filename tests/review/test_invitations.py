"""Inviting a person without an account to a round's reviewer pool: the secretariat's refusals
change nothing, each act has its audit entry, the link is stored hashed and works once until it
expires, and accepting it makes a reviewer account (second factor still to enrol) in the pool with
the organisation the secretariat gave, which the suggested-conflict check reads."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.accounts.middleware import must_enrol_second_factor
from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.applications import workflow
from dxgrant.core.tokens import hash_token
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme, Round
from dxgrant.review import selectors, tasks
from dxgrant.review.models import ReviewerInvitation, ReviewerMembership
from dxgrant.review.services import invitations
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db

PASSWORD = "審査員のための長い合言葉-2026"


@pytest.fixture
def secretariat() -> User:
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def round_obj(programme: Programme) -> Round:
    return open_round(programme)


def _invite(secretariat: User, round_obj: Round, **extra: str) -> ReviewerInvitation:
    fields = {"email": " Sensei@Univ.example.jp ", "name": "審査 花子", "organisation": "例示大学"} | extra
    invitation = invitations.invite_reviewer(actor=secretariat, round_obj=round_obj, **fields)
    assert isinstance(invitation, ReviewerInvitation)
    return invitation


def _state() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        ReviewerMembership.objects.count(),
        ReviewerInvitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count(),
        AuditEntry.objects.count(),
    )


def test_an_address_without_an_account_is_invited_with_a_hashed_single_link(
    secretariat, round_obj, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat, round_obj)
    assert invitation.email == "sensei@univ.example.jp"
    raw = invitation.link_token()
    assert invitation.token_hash == hash_token(raw)
    assert raw not in {invitation.token_hash, invitation.token_nonce}
    assert dt.timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= dt.timedelta(days=7)
    entry = AuditEntry.objects.get(action="review.invitation_created")
    assert entry.actor == secretariat and entry.changes["email"] == "sensei@univ.example.jp"
    assert not User.objects.filter(email="sensei@univ.example.jp").exists()
    assert not ReviewerMembership.objects.exists()
    # The email carries the link; the task run again sends nothing.
    assert len(mail.outbox) == 1 and f"/review/invitations/{raw}/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["sensei@univ.example.jp"]
    tasks.send_reviewer_invitation.call(invitation.pk)
    assert len(mail.outbox) == 1


def test_the_invitation_is_written_in_japanese_then_english(
    secretariat, round_obj, django_capture_on_commit_callbacks
) -> None:
    # The invitee has no account and so no language: both, Japanese first.
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat, round_obj)
    (message,) = mail.outbox
    assert message.subject == "【DX推進支援】審査員への招待 / [DX Promotion Subsidy] Invitation to review"
    japanese, english = message.body.split("(English follows)")
    assert "審査 花子 様" in japanese and f"{round_obj.name_ja} の交付審査の審査員として" in japanese
    assert "Dear 審査 花子," in english
    assert f"The secretariat invites you to review applications of {round_obj.name_en}." in english
    assert "お心当たり" not in english and "If you were not expecting this email" in english
    link = f"/review/invitations/{invitation.link_token()}/"
    assert link in japanese and link in english


def test_an_address_of_a_reviewer_account_is_added_to_the_pool_as_before(
    secretariat, round_obj, django_capture_on_commit_callbacks
) -> None:
    reviewer = UserFactory(role=Role.REVIEWER, email="existing@univ.example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        added = invitations.invite_reviewer(
            actor=secretariat, round_obj=round_obj, email="Existing@univ.example.jp", organisation="例示大学"
        )
    assert isinstance(added, ReviewerMembership)
    assert added.reviewer == reviewer and added.organisation == "例示大学"
    assert not ReviewerInvitation.objects.exists()
    assert AuditEntry.objects.filter(action="review.reviewer_added").count() == 1
    assert len(mail.outbox) == 1 and "/review/rounds/" in mail.outbox[0].body


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.APPLICANT, Role.SECRETARIAT, Role.FINANCE, Role.AUDITOR])
def test_an_address_of_another_role_is_refused_and_never_made_a_reviewer(
    secretariat, round_obj, role: str
) -> None:
    other = UserFactory(role=role)
    before = _state()
    with pytest.raises(ValidationError) as refused:
        invitations.invite_reviewer(
            actor=secretariat, round_obj=round_obj, email=other.email.upper(), name="誰か"
        )
    assert "審査員のアカウントではありません" in refused.value.message_dict["email"][0]
    assert _state() == before
    other.refresh_from_db()
    assert other.role == role


def test_refusals_of_an_invitation_change_nothing(secretariat, round_obj) -> None:
    before = _state()
    with pytest.raises(ValidationError) as nameless:
        invitations.invite_reviewer(actor=secretariat, round_obj=round_obj, email="new@example.jp")
    assert "氏名を入力" in nameless.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as number:
        invitations.invite_reviewer(
            actor=secretariat,
            round_obj=round_obj,
            email="new@example.jp",
            name="新 一郎",
            organisation_corporate_number="1234567890123",
        )
    assert "organisation_corporate_number" in number.value.message_dict
    assert _state() == before
    _invite(secretariat, round_obj)
    after_first = _state()
    with pytest.raises(ValidationError) as twice:
        _invite(secretariat, round_obj)
    assert "すでに送っています" in twice.value.message_dict["email"][0]
    assert _state() == after_first


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.REVIEWER, Role.ADVISOR, Role.APPLICANT])
def test_only_the_secretariat_invites_resends_and_revokes(secretariat, round_obj, role: str) -> None:
    someone = UserFactory(role=role)
    invitation = _invite(secretariat, round_obj)
    before = _state()
    with pytest.raises(PermissionDenied):
        invitations.invite_reviewer(actor=someone, round_obj=round_obj, email="x@example.jp", name="x")
    with pytest.raises(PermissionDenied):
        invitations.resend_invitation(actor=someone, invitation=invitation)
    with pytest.raises(PermissionDenied):
        invitations.revoke_invitation(actor=someone, invitation=invitation)
    assert _state() == before
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and invitation.send_count == 1


def test_accepting_makes_a_reviewer_in_the_pool_who_must_still_enrol_a_second_factor(
    secretariat, round_obj
) -> None:
    invitation = _invite(secretariat, round_obj, organisation_corporate_number="")
    user = invitations.accept_invitation_with_new_account(
        invitation=invitation, display_name="", password=PASSWORD, language="en"
    )
    assert user.role == Role.REVIEWER and user.email == "sensei@univ.example.jp"
    assert user.display_name == "審査 花子" and user.preferred_language == "en"
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert must_enrol_second_factor(user), "the middleware sends them to enrol before any page"
    membership = ReviewerMembership.objects.get(round=round_obj, reviewer=user)
    assert membership.organisation == "例示大学" and membership.added_by == secretariat
    assert membership.active and membership.terms_accepted_at is None, "the terms step comes next"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert AuditEntry.objects.get(action="accounts.created_from_invitation").actor == user
    accepted = AuditEntry.objects.get(action="review.invitation_accepted")
    assert accepted.actor == user and accepted.changes["membership"] == membership.pk


def test_the_organisation_given_feeds_the_suggested_conflicts(secretariat, round_obj, programme) -> None:
    application = make_application(
        programme, round_obj=round_obj, status=workflow.IN_REVIEW, company_name="株式会社例示大学発"
    )
    invitation = _invite(secretariat, round_obj, organisation="株式会社例示大学発")
    assert selectors.suggested_conflicts(round_obj) == [], "not in the pool before accepting"
    user = invitations.accept_invitation_with_new_account(
        invitation=invitation, display_name="審査 花子", password=PASSWORD
    )
    [suggestion] = selectors.suggested_conflicts(round_obj)
    assert suggestion.membership.reviewer == user and suggestion.application == application
    assert "所属が申請企業名と一致" in suggestion.reasons


def test_the_link_works_once(secretariat, round_obj) -> None:
    invitation = _invite(secretariat, round_obj)
    invitations.accept_invitation_with_new_account(invitation=invitation, display_name="", password=PASSWORD)
    before = _state()
    with pytest.raises(ValidationError) as again:
        invitations.accept_invitation_with_new_account(
            invitation=invitation, display_name="別人", password=PASSWORD + "x"
        )
    assert "すでに承諾されています" in again.value.messages[0]
    assert _state() == before


def test_an_expired_or_revoked_link_changes_nothing(secretariat, round_obj) -> None:
    expired = _invite(secretariat, round_obj)
    ReviewerInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    revoked = _invite(secretariat, round_obj, email="other@example.jp")
    invitations.revoke_invitation(actor=secretariat, invitation=revoked)
    before = _state()
    with pytest.raises(ValidationError) as late:
        invitations.accept_invitation_with_new_account(invitation=expired, display_name="", password=PASSWORD)
    assert "有効期限" in late.value.messages[0]
    with pytest.raises(ValidationError) as dead:
        invitations.accept_invitation_with_new_account(invitation=revoked, display_name="", password=PASSWORD)
    assert "取り消されました" in dead.value.messages[0]
    assert _state() == before


def test_a_weak_password_is_refused_and_nothing_is_kept(secretariat, round_obj) -> None:
    invitation = _invite(secretariat, round_obj)
    before = _state()
    with pytest.raises(ValidationError):
        invitations.accept_invitation_with_new_account(
            invitation=invitation, display_name="", password="12345"
        )
    assert _state() == before
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_an_account_of_another_role_made_meanwhile_is_never_made_a_reviewer(secretariat, round_obj) -> None:
    invitation = _invite(secretariat, round_obj)
    advisor = UserFactory(role=Role.ADVISOR, email="sensei@univ.example.jp")
    before = _state()
    with pytest.raises(ValidationError) as refused:
        invitations.accept_invitation_with_new_account(
            invitation=invitation, display_name="", password=PASSWORD
        )
    assert "審査員以外のアカウント" in refused.value.messages[0]
    with pytest.raises(PermissionDenied):
        invitations.accept_invitation(actor=advisor, invitation=invitation)
    assert _state() == before
    advisor.refresh_from_db()
    assert advisor.role == Role.ADVISOR
    assert not ReviewerMembership.objects.filter(reviewer=advisor).exists()


def test_a_signed_in_reviewer_with_the_address_accepts_and_nobody_else(secretariat, round_obj) -> None:
    invitation = _invite(secretariat, round_obj)
    stranger = UserFactory(role=Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        invitations.accept_invitation(actor=stranger, invitation=invitation)
    reviewer = UserFactory(role=Role.REVIEWER, email="sensei@univ.example.jp")
    membership = invitations.accept_invitation(actor=reviewer, invitation=invitation)
    assert membership.reviewer == reviewer and membership.organisation == "例示大学"
    assert not ReviewerMembership.objects.filter(reviewer=stranger).exists()


def test_resend_issues_a_new_link_and_kills_the_old_one(
    secretariat, round_obj, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat, round_obj)
    old = invitation.link_token()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend_invitation(actor=secretariat, invitation=invitation)
    invitation.refresh_from_db()
    new = invitation.link_token()
    assert new != old and invitation.send_count == 2
    assert selectors.find_invitation(old) is None
    assert selectors.find_invitation(new) == invitation
    assert len(mail.outbox) == 2 and new in mail.outbox[1].body and old not in mail.outbox[1].body
    assert AuditEntry.objects.filter(action="review.invitation_resent").count() == 1
    # A second click within a minute sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend_invitation(actor=secretariat, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.link_token() == new and len(mail.outbox) == 2


def test_an_expired_invitation_can_be_resent_and_then_accepted(secretariat, round_obj) -> None:
    invitation = _invite(secretariat, round_obj)
    ReviewerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1), issued_at=timezone.now() - dt.timedelta(days=8)
    )
    invitations.resend_invitation(actor=secretariat, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.is_usable
    invitations.accept_invitation_with_new_account(invitation=invitation, display_name="", password=PASSWORD)


def test_revoking_is_audited_once_and_an_accepted_invitation_is_neither_revoked_nor_resent(
    secretariat, round_obj
) -> None:
    invitation = _invite(secretariat, round_obj)
    invitations.revoke_invitation(actor=secretariat, invitation=invitation)
    invitations.revoke_invitation(actor=secretariat, invitation=invitation)
    assert AuditEntry.objects.filter(action="review.invitation_revoked").count() == 1
    with pytest.raises(ValidationError):
        invitations.resend_invitation(actor=secretariat, invitation=invitation)
    # A revoked invitation frees the address for a new one.
    fresh = _invite(secretariat, round_obj)
    invitations.accept_invitation_with_new_account(invitation=fresh, display_name="", password=PASSWORD)
    before = _state()
    with pytest.raises(ValidationError):
        invitations.revoke_invitation(actor=secretariat, invitation=fresh)
    with pytest.raises(ValidationError):
        invitations.resend_invitation(actor=secretariat, invitation=fresh)
    assert _state() == before
    # The reviewer is now an account: inviting the address again is today's "already in the pool".
    with pytest.raises(ValidationError) as twice:
        _invite(secretariat, round_obj)
    assert "すでにこの公募回の審査員です" in twice.value.message_dict["email"][0]
