"""The invitation's pages: the secretariat invites from the round's page (and resends and
revokes), the invited person opens the link, creates the account, is sent to enrol the second
factor before anything else and then to the round's terms; a dead link explains itself in
Japanese and in English and changes nothing; forged POSTs of other roles change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.programs.models import Programme, Round
from dxgrant.review.models import ReviewerInvitation, ReviewerMembership
from dxgrant.review.services import invitations
from tests.factories import UserFactory
from tests.factories.accounts import enrol_on_the_page, signed_in
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db

PASSWORD = "審査員のための長い合言葉-2026"


@pytest.fixture
def secretariat() -> User:
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def round_obj(programme: Programme) -> Round:
    return open_round(programme)


@pytest.fixture
def invitation(secretariat: User, round_obj: Round) -> ReviewerInvitation:
    made = invitations.invite_reviewer(
        actor=secretariat,
        round_obj=round_obj,
        email="invitee@univ.example.jp",
        name="招待 花子",
        organisation="例示大学",
    )
    assert isinstance(made, ReviewerInvitation)
    return made


def _link(invitation: ReviewerInvitation) -> str:
    return f"/review/invitations/{invitation.link_token()}/"


def test_the_secretariat_invites_from_the_round_page_and_sees_it_listed(secretariat, round_obj) -> None:
    client = signed_in(secretariat)
    url = f"/staff/review/rounds/{round_obj.code}/reviewers/"
    nameless = client.post(url, {"email": "new@univ.example.jp"})
    assert nameless.status_code == 400 and "氏名を入力してください" in nameless.content.decode()
    assert not ReviewerInvitation.objects.exists()
    response = client.post(
        url, {"email": "new@univ.example.jp", "name": "新 一郎", "organisation": "例示大学"}
    )
    assert response.status_code == 302
    invitation = ReviewerInvitation.objects.get()
    assert invitation.organisation == "例示大学"
    page = client.get(response["Location"]).content.decode()
    assert "招待メールを送りました" in page
    assert "新 一郎 &lt;new@univ.example.jp&gt;" in page
    assert reverse("staff_review:invitation_resend", args=[invitation.pk]) in page
    # Auditors read the list without the buttons.
    auditor = signed_in(UserFactory(role=Role.AUDITOR)).get(f"/staff/review/rounds/{round_obj.code}/")
    assert "new@univ.example.jp" in auditor.content.decode()
    assert reverse("staff_review:invitation_revoke", args=[invitation.pk]) not in auditor.content.decode()


def test_an_advisors_address_is_refused_on_the_page(secretariat, round_obj) -> None:
    advisor = UserFactory(role=Role.ADVISOR, email="advisor@firm.example.jp")
    response = signed_in(secretariat).post(
        f"/staff/review/rounds/{round_obj.code}/reviewers/", {"email": advisor.email, "name": "助言 太郎"}
    )
    assert response.status_code == 400
    assert "審査員のアカウントではありません" in response.content.decode()
    assert not ReviewerInvitation.objects.exists() and not ReviewerMembership.objects.exists()
    advisor.refresh_from_db()
    assert advisor.role == Role.ADVISOR


def test_resend_and_revoke_from_the_page_and_forgeries_change_nothing(secretariat, invitation) -> None:
    old = invitation.link_token()
    for role in (Role.AUDITOR, Role.REVIEWER, Role.ADVISOR):
        forger = signed_in(UserFactory(role=role))
        assert forger.post(f"/staff/review/invitations/{invitation.pk}/resend/").status_code == 403
        assert forger.post(f"/staff/review/invitations/{invitation.pk}/revoke/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.link_token() == old and invitation.revoked_at is None
    client = signed_in(secretariat)
    assert client.post(f"/staff/review/invitations/{invitation.pk}/resend/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.link_token() != old
    assert Client().get(f"/review/invitations/{old}/").status_code == 404
    response = client.post(f"/staff/review/invitations/{invitation.pk}/revoke/", follow=True)
    assert "への招待を取り消しました" in response.content.decode()
    gone = Client().get(_link(invitation))
    assert gone.status_code == 410 and "取り消されました" in gone.content.decode()


def test_the_invitee_creates_the_account_enrols_the_second_factor_first_then_meets_the_terms(
    invitation, round_obj
) -> None:
    client = Client()
    page = client.get(_link(invitation))
    assert page.status_code == 200
    assert "審査員のアカウントを作成する" in page.content.decode()
    assert 'value="招待 花子"' in page.content.decode()
    mismatch = client.post(
        _link(invitation), {"display_name": "招待 花子", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert mismatch.status_code == 400 and not User.objects.filter(email=invitation.email).exists()
    response = client.post(
        _link(invitation), {"display_name": "招待 花子", "password1": PASSWORD, "password2": PASSWORD}
    )
    terms = reverse("review:terms", args=[round_obj.code])
    assert response.status_code == 302 and response["Location"] == terms
    user = User.objects.get(email=invitation.email)
    assert user.role == Role.REVIEWER
    assert ReviewerMembership.objects.filter(round=round_obj, reviewer=user).exists()
    # Nothing but enrolment until the second factor is set up, then the terms.
    for path in (terms, "/review/", "/me/", _link(invitation)):
        refused = client.get(path)
        assert refused.status_code == 302
        assert refused["Location"] == reverse("mfa_activate_totp") + f"?next={path}"
    # The password typed on the link's page is not asked again; once enrolled, the terms.
    enrol_on_the_page(client, password=PASSWORD)
    assert client.get(terms).status_code == 200
    assert client.get(_link(invitation))["Location"] == terms
    # The link is spent.
    stranger = Client().get(_link(invitation))
    assert stranger.status_code == 410 and "すでに承諾されています" in stranger.content.decode()


def test_a_dead_link_explains_itself_in_japanese_and_english(invitation) -> None:
    ReviewerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    client = Client()
    expired = client.get(_link(invitation))
    assert expired.status_code == 410
    assert (
        "有効期限" in expired.content.decode()
        and "事務局に再送を依頼してください" in expired.content.decode()
    )
    posted = client.post(
        _link(invitation), {"display_name": "招待 花子", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert posted.status_code == 410 and not User.objects.filter(email=invitation.email).exists()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(_link(invitation)).content.decode()
    assert "This invitation link expired" in english and "ask the secretariat" in english
    assert "有効期限" not in english
    unknown = client.get("/review/invitations/not-a-token/")
    assert unknown.status_code == 404 and "This invitation link is not valid" in unknown.content.decode()


def test_signed_in_people_of_other_roles_cannot_accept(invitation) -> None:
    advisor = UserFactory(role=Role.ADVISOR, email="invitee@univ.example.jp")
    client = signed_in(advisor)
    page = client.get(_link(invitation))
    assert page.status_code == 200 and "審査員用でないアカウントでは承諾できません" in page.content.decode()
    assert client.post(_link(invitation)).status_code == 403
    anonymous = Client().get(_link(invitation)).content.decode()
    assert "審査員以外のアカウントで使われているため" in anonymous
    advisor.refresh_from_db()
    invitation.refresh_from_db()
    assert advisor.role == Role.ADVISOR and invitation.is_usable
    assert not ReviewerMembership.objects.exists()


def test_a_reviewer_account_with_the_address_signs_in_and_accepts(invitation, round_obj) -> None:
    reviewer = UserFactory(role=Role.REVIEWER, email="invitee@univ.example.jp")
    anonymous = Client().get(_link(invitation)).content.decode()
    assert "ログインして承諾する" in anonymous
    client = signed_in(reviewer)
    assert client.get(_link(invitation)).status_code == 200
    response = client.post(_link(invitation))
    assert response.status_code == 302 and response["Location"] == reverse(
        "review:terms", args=[round_obj.code]
    )
    assert ReviewerMembership.objects.get(reviewer=reviewer).organisation == "例示大学"


def test_the_invitation_pages_read_in_english(secretariat, invitation, round_obj) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(_link(invitation)).content.decode()
    assert "Invitation to review" in page and "Create your reviewer account" in page
    assert "審査員" not in page
    staff = signed_in(secretariat)
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    progress = staff.get(f"/staff/review/rounds/{round_obj.code}/").content.decode()
    assert "Invited reviewers (no account yet)" in progress and "Add or invite" in progress
