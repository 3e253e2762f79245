import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from dxgrant.accounts.models import Role, User
from dxgrant.advisors import selectors
from dxgrant.advisors.models import (
    INVITATION_TOKEN_PURPOSE,
    AdvisorInvitation,
    CertificationState,
    FirmMembership,
)
from dxgrant.advisors.services import team
from dxgrant.core.tokens import token_from_nonce
from tests.factories import PASSWORD
from tests.factories.accounts import signed_in
from tests.factories.advisors import add_advisor, certified_firm, firm_admin

pytestmark = pytest.mark.django_db


def invite(client, name="鈴木 花子", email="hanako@dx-shien.example.jp"):
    return client.post("/firm/invitations/", {"name": name, "email": email})


def link_from_outbox() -> str:
    assert mail.outbox, "no email sent"
    match = re.search(r"http://[^\s]+/firm/join/[^\s/]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).split("127.0.0.1:8000")[1]


def test_an_admin_invites_and_the_advisor_joins_with_a_new_account(
    programme, django_capture_on_commit_callbacks
):
    firm = certified_firm(programme)
    admin = signed_in(firm_admin(firm))
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin)
    assert response["Location"] == "/firm/"
    assert "鈴木 花子" in admin.get("/firm/").content.decode()
    assert mail.outbox[-1].to == ["hanako@dx-shien.example.jp"]
    path = link_from_outbox()
    visitor = Client()
    page = visitor.get(path).content.decode()
    assert firm.name in page and "hanako@dx-shien.example.jp" in page
    weak = visitor.post(path, {"display_name": "鈴木 花子", "password": "12345678"})
    assert weak.status_code == 400 and not User.objects.filter(email="hanako@dx-shien.example.jp").exists()
    joined = visitor.post(path, {"display_name": "鈴木 花子", "password": "a-long-and-good-passphrase"})
    assert joined["Location"] == "/firm/course/"
    user = User.objects.get(email="hanako@dx-shien.example.jp")
    assert user.role == Role.ADVISOR
    assert FirmMembership.objects.filter(firm=firm, user=user, is_active=True).exists()
    # The link works once.
    assert Client().get(path).status_code == 410


def test_a_signed_in_advisor_without_a_firm_accepts(programme, make_user, django_capture_on_commit_callbacks):
    firm = certified_firm(programme)
    existing = make_user("advisor", email="exists@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(firm_admin(firm)), email="exists@example.jp")
    path = link_from_outbox()
    # Not signed in: asked to sign in, not to create a second account.
    assert (
        Client().post(path, {"display_name": "x", "password": "another-good-passphrase"}).status_code == 400
    )
    response = signed_in(existing).post(path)
    assert response["Location"] == "/firm/course/"
    assert FirmMembership.objects.get(user=existing).firm == firm


def test_the_wrong_account_cannot_use_someone_elses_link(
    programme, make_user, django_capture_on_commit_callbacks
):
    firm = certified_firm(programme)
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(firm_admin(firm)), email="right@example.jp")
    path = link_from_outbox()
    intruder = make_user("advisor", email="intruder@example.jp")
    response = signed_in(intruder).post(path)
    assert response.status_code == 400
    assert "招待されたメールアドレス" in response.content.decode()
    assert not FirmMembership.objects.filter(user=intruder).exists()


def test_expired_and_revoked_links_do_not_work(programme, django_capture_on_commit_callbacks):
    import time_machine

    firm = certified_firm(programme)
    admin = signed_in(firm_admin(firm))
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, email="late@example.jp")
    path = link_from_outbox()
    with time_machine.travel(AdvisorInvitation.objects.get().expires_at, tick=False):
        assert Client().get(path).status_code == 410
    invitation = AdvisorInvitation.objects.get()
    admin.post(f"/firm/invitations/{invitation.pk}/revoke/")
    assert Client().get(path).status_code == 410


def test_only_admins_of_a_firm_in_good_standing_invite(programme, make_user):
    firm = certified_firm(programme)
    advisor = add_advisor(firm)
    assert (
        signed_in(advisor).post("/firm/invitations/", {"name": "x", "email": "x@example.jp"}).status_code
        == 403
    )
    suspended = certified_firm(programme, name="停止中の事業者", state=CertificationState.SUSPENDED)
    admin = firm_admin(suspended)
    with pytest.raises(PermissionDenied, match="停止"):
        team.invite_advisor(actor=admin, firm=suspended, name="x", email="x@example.jp")
    page = signed_in(admin).get("/firm/").content.decode()
    assert "認定が停止されている" in page and "招待メールを送る" not in page
    assert not AdvisorInvitation.objects.exists()


def test_someone_already_in_a_firm_cannot_be_invited(programme):
    firm = certified_firm(programme)
    other = certified_firm(programme, name="別の事業者")
    taken = add_advisor(other)
    response = invite(signed_in(firm_admin(firm)), email=taken.email)
    assert response.status_code == 400
    assert "すでにいずれかの認定事業者に所属" in response.content.decode()


def test_an_admin_removes_an_advisor_but_not_the_last_admin(programme):
    firm = certified_firm(programme)
    admin_user = firm_admin(firm)
    advisor = add_advisor(firm)
    admin = signed_in(admin_user)
    membership = FirmMembership.objects.get(user=advisor)
    admin.post(f"/firm/members/{membership.pk}/remove/")
    assert not FirmMembership.objects.get(pk=membership.pk).is_active
    own = FirmMembership.objects.get(user=admin_user)
    response = admin.post(f"/firm/members/{own.pk}/remove/", follow=True)
    assert "最後の管理者は外せません" in response.content.decode()
    assert FirmMembership.objects.get(pk=own.pk).is_active


def test_another_firms_invitation_is_404(programme):
    firm = certified_firm(programme)
    other = certified_firm(programme, name="別の事業者")
    invitation, _raw = team.invite_advisor(
        actor=firm_admin(other), firm=other, name="x", email="x@example.jp"
    )
    assert signed_in(firm_admin(firm)).post(f"/firm/invitations/{invitation.pk}/revoke/").status_code == 404
    assert AdvisorInvitation.objects.get().revoked_at is None


def test_firm_home_lists_members_and_course_status(programme):
    firm = certified_firm(programme)
    add_advisor(firm, passed_course=True, display_name="修了 太郎")
    add_advisor(firm, display_name="未修 次郎")
    page = signed_in(firm_admin(firm)).get("/firm/").content.decode()
    assert "修了 太郎" in page and "未修 次郎" in page
    assert page.count("未修了") >= 2  # the admin and 次郎
    assert PASSWORD not in page


def test_the_link_token_is_stored_nowhere(programme):
    from django.forms.models import model_to_dict

    firm = certified_firm(programme)
    invitation, raw = team.invite_advisor(actor=firm_admin(firm), firm=firm, name="x", email="x@example.jp")
    assert raw not in str(model_to_dict(invitation))
    # The email task rebuilds it from the nonce and the secret key.
    assert token_from_nonce(INVITATION_TOKEN_PURPOSE, invitation.token_nonce) == raw
    assert selectors.find_invitation(raw) == invitation


# --- The invitation email: sent once, in the recipient's language ---------------------------------


def test_the_invitation_email_goes_once_even_if_the_task_runs_again(
    programme, django_capture_on_commit_callbacks
):
    from dxgrant.advisors.tasks import send_advisor_invitation

    firm = certified_firm(programme)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = team.invite_advisor(
            actor=firm_admin(firm), firm=firm, name="再試 太郎", email="retry@example.jp"
        )
    assert len(mail.outbox) == 1
    # A retry of the task, or a second worker picking it up: nothing more is sent.
    send_advisor_invitation.call(invitation.pk)
    send_advisor_invitation.call(invitation.pk)
    assert len(mail.outbox) == 1
    assert raw in mail.outbox[0].body


def test_the_invitation_is_written_in_the_recipients_language(
    programme, make_user, django_capture_on_commit_callbacks
):
    firm = certified_firm(programme)
    make_user("advisor", email="english@example.jp", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invite(signed_in(firm_admin(firm)), email="english@example.jp")
        invite(signed_in(firm_admin(firm)), email="newcomer@example.jp")
    english, japanese = mail.outbox
    assert english.to == ["english@example.jp"]
    assert "Invitation to join as an advisor" in english.subject
    assert "works once" in english.body
    # Nobody has an account at this address yet: Japanese, the programme's language.
    assert japanese.to == ["newcomer@example.jp"]
    assert "アドバイザーとしての招待" in japanese.subject


def test_a_revoked_invitation_made_again_sends_the_new_link_once(
    programme, django_capture_on_commit_callbacks
):
    from dxgrant.advisors.tasks import send_advisor_invitation

    firm = certified_firm(programme)
    admin = signed_in(firm_admin(firm))
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, email="again@example.jp")
    old_path = link_from_outbox()
    first = AdvisorInvitation.objects.get()
    admin.post(f"/firm/invitations/{first.pk}/revoke/")
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, email="again@example.jp")
    assert len(mail.outbox) == 2
    new_path = link_from_outbox()
    assert new_path != old_path
    second = AdvisorInvitation.objects.exclude(pk=first.pk).get()
    # Retries of either task send nothing more: the old link is revoked, the new one was sent.
    send_advisor_invitation.call(first.pk)
    send_advisor_invitation.call(second.pk)
    assert len(mail.outbox) == 2
    assert Client().get(old_path).status_code == 410
    assert Client().get(new_path).status_code == 200
