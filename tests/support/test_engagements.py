"""Starting an engagement, and the invitation links that bring the applicant's people in."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.models import CertificationState
from dxgrant.programs.models import Round
from dxgrant.support.models import ClientInvitation, Engagement, EngagementMember, EngagementStatus
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.advisors import add_advisor
from tests.factories.rounds import open_round
from tests.factories.support import corporate_number, engagement_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-good-passphrase"


def start(client, round_obj, **overrides: object):  # type: ignore[no-untyped-def]
    data = {
        "round": str(round_obj.pk),
        "company_name": "株式会社みらい工業",
        "corporate_number": "",
        "representative_name": "未来 太郎",
        "representative_email": "taro@mirai.example.jp",
        "submission_token": str(uuid.uuid4()),
    } | overrides
    return client.post("/support/engagements/new/", data)


def link_in(message) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"https?://[^\s]+(/support/invitations/accept/[^\s/]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(advisor, round_open, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """An engagement just started; returns (engagement, link path)."""
    with django_capture_on_commit_callbacks(execute=True):
        start(signed_in(advisor), round_open)
    return Engagement.objects.get(company_name="株式会社みらい工業"), link_in(mail.outbox[-1])


# --- Starting ------------------------------------------------------------------------------------


def test_an_advisor_starts_an_engagement_and_the_representative_gets_a_link(
    advisor, round_open, django_capture_on_commit_callbacks
):
    client = signed_in(advisor)
    page = client.get("/support/engagements/new/").content.decode()
    # The open round is offered, the closed one is not.
    assert "テスト公募回（受付中）" in page and "2025年度 第1回公募" not in page
    number = corporate_number()
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, round_open, corporate_number=f"{number[:4]}-{number[4:8]}-{number[8:]}")
    engagement = Engagement.objects.get()
    assert response["Location"] == f"/support/engagements/{engagement.pk}/"
    assert engagement.status == EngagementStatus.INVITED and engagement.corporate_number == number
    assert engagement.lead_advisor == advisor
    assert mail.outbox[-1].to == ["taro@mirai.example.jp"]
    assert "DX支援合同会社" in mail.outbox[-1].subject
    assert "/support/invitations/accept/" in mail.outbox[-1].body
    invitation = ClientInvitation.objects.get()
    assert invitation.token_hash not in mail.outbox[-1].body, "only the hash is stored, never the link"
    detail = client.get(response["Location"]).content.decode()
    assert "承諾待ち" in detail and "再送する" in detail


def test_a_closed_round_is_refused(programme, advisor, round_open):
    closed = open_round(programme, "dx-test-closed", closed=True)
    response = start(signed_in(advisor), closed)
    assert response.status_code == 400 and "受け付けていません" in response.content.decode()
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("demo_enabled", [True, False])
def test_the_rounds_offered_do_not_depend_on_the_demo_setting(advisor, round_open, settings, demo_enabled):
    """Domain code does not branch on the demo setting: a round open today is offered whether
    or not it is a demo round (demo rounds exist only where demo data was seeded)."""
    settings.DXGRANT_DEMO_ENABLED = demo_enabled
    Round.objects.filter(pk=round_open.pk).update(is_demo=True)
    page = signed_in(advisor).get("/support/engagements/new/").content.decode()
    assert "テスト公募回（受付中）" in page and "2025年度 第1回公募" not in page


def test_a_wrong_corporate_number_is_refused(advisor, round_open):
    number = corporate_number()
    wrong = str((int(number[0]) % 9) + 1) + number[1:]
    response = start(signed_in(advisor), round_open, corporate_number=wrong)
    assert response.status_code == 400 and "法人番号が正しくありません" in response.content.decode()
    assert not Engagement.objects.exists()


def test_only_the_invitation_the_company_accepts_holds_it_in_the_round(
    advisor, round_open, other_firm_advisor, django_capture_on_commit_callbacks
):
    """Two firms may invite the same company (by 法人番号); an invitation nobody answered does not
    keep other firms away. Once the company accepts one, the others are refused, and recorded."""
    from dxgrant.applications.models import RefusedDuplicate

    number = corporate_number()
    second = add_advisor(other_firm_advisor.firm_memberships.get().firm, passed_course=True)
    with django_capture_on_commit_callbacks(execute=True):
        start(signed_in(advisor), round_open, corporate_number=number)
        start(
            signed_in(second),
            round_open,
            corporate_number=number,
            representative_email="b@mirai.example.jp",
            repeat_confirmed="on",  # warned that the 法人番号 was invited in the round, and confirmed
        )
    assert Engagement.objects.filter(corporate_number=number).count() == 2
    first_link, second_link = (link_in(m) for m in mail.outbox[-2:])
    # The company accepts the first firm's invitation.
    accepted = Client().post(
        first_link, {"display_name": "未来 太郎", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert accepted.status_code == 302
    # Then the second firm's link is refused, its engagement stays an invitation, the attempt is kept.
    refused = Client().post(
        second_link, {"display_name": "未来 次郎", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert (
        refused.status_code == 400 and "すでに別の認定事業者の支援を受けています" in refused.content.decode()
    )
    assert Engagement.objects.filter(corporate_number=number, status=EngagementStatus.ACTIVE).count() == 1
    assert RefusedDuplicate.objects.filter(firm=second.firm_memberships.get().firm).count() == 1
    # And a third invitation is refused at once.
    third = add_advisor(other_firm_advisor.firm_memberships.get().firm, passed_course=True)
    response = start(
        signed_in(third), round_open, corporate_number=number, representative_email="c@mirai.example.jp"
    )
    assert response.status_code == 400
    assert "すでに申請を進めています" in response.content.decode()


def test_the_advisor_cannot_create_the_application_before_the_company_accepts(invited, advisor):
    engagement, _path = invited
    page = signed_in(advisor).get(f"/support/engagements/{engagement.pk}/").content.decode()
    assert "代表者が招待を承諾すると、申請書を作成できます。" in page
    assert "from-engagement" not in page
    response = signed_in(advisor).post(f"/applications/from-engagement/{engagement.pk}/", follow=True)
    assert "代表者が招待を承諾すると" in response.content.decode()
    assert not Engagement.objects.filter(pk=engagement.pk, application__isnull=False).exists()


def test_a_double_submit_starts_one_engagement(advisor, round_open):
    client = signed_in(advisor)
    token = str(uuid.uuid4())
    start(client, round_open, submission_token=token)
    start(client, round_open, submission_token=token)
    assert Engagement.objects.count() == 1 and ClientInvitation.objects.count() == 1


def test_inviting_a_company_needs_the_advisor_course(firm, round_open):
    novice = add_advisor(firm, passed_course=False)
    client = signed_in(novice)
    refused = client.get("/support/engagements/new/")
    assert refused.status_code == 403 and "アドバイザー研修の修了" in refused.content.decode()
    assert start(client, round_open).status_code == 403
    dashboard = client.get("/support/").content.decode()
    assert "アドバイザー研修の修了" in dashboard and "支援先を招待する</a>" not in dashboard


@pytest.mark.parametrize(
    ("state", "reason"),
    [(CertificationState.SUSPENDED, "停止されている"), (CertificationState.REVOKED, "取り消されている")],
)
def test_a_firm_not_in_good_standing_invites_nobody(firm, advisor, round_open, state, reason):
    firm.certification_state = state
    firm.save()
    client = signed_in(advisor)
    dashboard = client.get("/support/")
    assert dashboard.status_code == 200 and reason in dashboard.content.decode()
    assert "支援先を招待する</a>" not in dashboard.content.decode()
    refused = start(client, round_open)
    assert refused.status_code == 403 and reason in refused.content.decode()
    assert not Engagement.objects.exists()


def test_an_expired_firm_invites_nobody(firm, advisor, round_open):
    firm.valid_until = firm.valid_from  # lapsed long ago
    firm.save()
    refused = start(signed_in(advisor), round_open)
    assert refused.status_code == 403 and "有効期間が終了" in refused.content.decode()


# --- Accepting -----------------------------------------------------------------------------------


def test_the_representative_creates_an_account_from_the_link(invited):
    engagement, path = invited
    visitor = Client()
    page = visitor.get(path).content.decode()
    assert "taro@mirai.example.jp" in page and "DX支援合同会社" in page and "アカウントを作成" in page
    weak = visitor.post(path, {"display_name": "未来 太郎", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 400 and not User.objects.filter(email="taro@mirai.example.jp").exists()
    mismatch = visitor.post(
        path, {"display_name": "未来 太郎", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert "一致しません" in mismatch.content.decode()
    joined = visitor.post(path, {"display_name": "未来 太郎", "password1": PASSWORD, "password2": PASSWORD})
    assert joined["Location"] == f"/support/my/{engagement.pk}/"
    user = User.objects.get(email="taro@mirai.example.jp")
    assert user.role == Role.APPLICANT and user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert EngagementMember.objects.get(engagement=engagement).user == user
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    # Signed in already, and the link works once.
    assert visitor.get(joined["Location"]).status_code == 200
    used = Client().get(path)
    assert used.status_code == 410 and "すでに承諾されています" in used.content.decode()
    assert visitor.get(path)["Location"] == joined["Location"]


def test_the_new_account_can_sign_in_with_its_password(invited):
    _engagement, path = invited
    Client().post(path, {"display_name": "未来 太郎", "password1": PASSWORD, "password2": PASSWORD})
    response = Client().post("/accounts/login/", {"login": "taro@mirai.example.jp", "password": PASSWORD})
    assert response.status_code == 302


def test_a_link_expires_after_the_rounds_72_hours(invited, time_machine):
    engagement, path = invited
    # Every round's rules are validated and name the hours (one source: the programme file).
    assert engagement.round.rules.application.invitation_valid_hours == 72
    start = dt.datetime.now(dt.UTC)
    time_machine.move_to(start + dt.timedelta(hours=71))
    assert Client().get(path).status_code == 200
    time_machine.move_to(start + dt.timedelta(hours=73))
    expired = Client().get(path)
    assert expired.status_code == 410 and "が切れています" in expired.content.decode()
    Client().post(path, {"display_name": "x", "password1": PASSWORD, "password2": PASSWORD})
    assert not User.objects.filter(email="taro@mirai.example.jp").exists()


def test_resending_makes_a_new_link_and_kills_the_old_one(
    invited, advisor, django_capture_on_commit_callbacks
):
    engagement, old_path = invited
    invitation = ClientInvitation.objects.get(engagement=engagement)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(advisor).post(f"/support/invitations/{invitation.pk}/resend/")
    assert response["Location"] == f"/support/engagements/{engagement.pk}/"
    new_path = link_in(mail.outbox[-1])
    assert new_path != old_path and len(mail.outbox) == 2
    assert Client().get(old_path).status_code == 404
    assert Client().get(new_path).status_code == 200


def test_revoking_kills_the_link(invited, advisor):
    engagement, path = invited
    invitation = ClientInvitation.objects.get(engagement=engagement)
    signed_in(advisor).post(f"/support/invitations/{invitation.pk}/revoke/")
    revoked = Client().get(path)
    assert revoked.status_code == 410 and "取り消されました" in revoked.content.decode()


def test_a_suspended_firm_cannot_resend(invited, firm, advisor):
    engagement, _path = invited
    firm.certification_state = CertificationState.SUSPENDED
    firm.save()
    invitation = ClientInvitation.objects.get(engagement=engagement)
    assert signed_in(advisor).post(f"/support/invitations/{invitation.pk}/resend/").status_code == 403
    assert "再送する" not in signed_in(advisor).get(f"/support/engagements/{engagement.pk}/").content.decode()


def test_someone_with_an_account_signs_in_then_accepts(invited):
    engagement, path = invited
    existing = UserFactory(role=Role.APPLICANT, email="taro@mirai.example.jp")
    page = Client().get(path).content.decode()
    assert "ログインして承諾する" in page and f"next={path}" in page
    # No second account for the same address.
    Client().post(path, {"display_name": "x", "password1": PASSWORD, "password2": PASSWORD})
    assert User.objects.filter(email="taro@mirai.example.jp").count() == 1
    response = signed_in(existing).post(path)
    assert response["Location"] == f"/support/my/{engagement.pk}/"
    assert EngagementMember.objects.filter(engagement=engagement, user=existing).exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ADVISOR])
def test_the_wrong_account_cannot_use_the_link(invited, advisor, role):
    engagement, path = invited
    someone = advisor if role == Role.ADVISOR else UserFactory(role=Role.APPLICANT)
    client = signed_in(someone)
    assert "ログアウトしてから" in client.get(path).content.decode()
    assert client.post(path).status_code == 403
    assert not EngagementMember.objects.filter(engagement=engagement).exists()


def test_an_advisor_account_with_the_invited_address_cannot_join_as_applicant(advisor, round_open):
    # An advisor's address is refused at invitation time (issue 9, item 5) ...
    assert start(signed_in(advisor), round_open, representative_email=advisor.email).status_code == 400
    assert not ClientInvitation.objects.exists()
    # ... and an advisor account made for an address after it was invited cannot join either.
    start(signed_in(advisor), round_open, representative_email="later@mirai.example.jp")
    invitation = ClientInvitation.objects.get()
    late = UserFactory(role=Role.ADVISOR, email="later@mirai.example.jp")
    response = signed_in(late).post(f"/support/invitations/accept/{invitation.link_token()}/")
    assert response.status_code == 403
    assert not EngagementMember.objects.exists()


# --- Delegated staff -----------------------------------------------------------------------------


def test_the_representative_adds_staff_who_join_as_staff(
    engagement, representative, django_capture_on_commit_callbacks
):
    client = signed_in(representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/support/my/{engagement.pk}/staff/new/",
            {"name": "鈴木 次郎", "email": "jiro@yamada.example.jp"},
        )
    assert response["Location"] == f"/support/my/{engagement.pk}/"
    assert "担当者として" in mail.outbox[-1].body
    path = link_in(mail.outbox[-1])
    staff_client = Client()
    staff_client.post(path, {"display_name": "鈴木 次郎", "password1": PASSWORD, "password2": PASSWORD})
    member = EngagementMember.objects.get(user__email="jiro@yamada.example.jp")
    assert member.role == "staff" and member.engagement == engagement
    # Staff do not add staff.
    refused = staff_client.get(f"/support/my/{engagement.pk}/staff/new/")
    assert refused.status_code == 403 and "代表者のみ" in refused.content.decode()


def test_the_same_address_is_not_invited_twice(engagement, representative):
    client = signed_in(representative)
    client.post(f"/support/my/{engagement.pk}/staff/new/", {"name": "a", "email": "a@example.jp"})
    again = client.post(f"/support/my/{engagement.pk}/staff/new/", {"name": "a", "email": "A@example.jp"})
    assert again.status_code == 400 and "すでに招待を送っています" in again.content.decode()
    member = client.post(
        f"/support/my/{engagement.pk}/staff/new/", {"name": "me", "email": representative.email}
    )
    assert member.status_code == 400 and "すでにこの支援先のメンバー" in member.content.decode()


def test_the_representative_can_resend_and_revoke_staff_invitations_only(engagement, representative):
    client = signed_in(representative)
    client.post(f"/support/my/{engagement.pk}/staff/new/", {"name": "a", "email": "a@example.jp"})
    staff_invitation = ClientInvitation.objects.get(email="a@example.jp")
    assert client.post(f"/support/invitations/{staff_invitation.pk}/revoke/").status_code == 302
    staff_invitation.refresh_from_db()
    assert staff_invitation.revoked_at is not None


def test_another_firms_engagement_is_not_found(firm, advisor, round_open, other_firm_advisor):
    engagement = engagement_for(firm, advisor, round_open)
    client = signed_in(other_firm_advisor)
    assert client.get(f"/support/engagements/{engagement.pk}/").status_code == 404
    assert engagement.company_name not in client.get("/support/").content.decode()
