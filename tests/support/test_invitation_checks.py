"""Who may be invited as an applicant company's person, and one company invited again and again
(issue 9, items 4 and 5): the firm's own 法人番号 and its own people are refused; addresses of
staff, reviewer, finance, auditor and advisor accounts are refused with a message naming the
address; a 法人番号 already invited in the round is invited again only after the advisor confirms
the warning, and the secretariat's list shows the repeated invitations."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from dxgrant.accounts.models import Role
from dxgrant.support.models import ClientInvitation, Engagement
from dxgrant.support.services import engagements, invitations
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.advisors import VALID_CORPORATE_NUMBER, add_advisor, advisor_of, certified_firm
from tests.factories.support import corporate_number

pytestmark = pytest.mark.django_db


def start(actor, round_obj, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "actor": actor,
        "round": round_obj,
        "company_name": "株式会社みらい工業",
        "corporate_number": "",
        "representative_name": "未来 太郎",
        "representative_email": "taro@mirai.example.jp",
    } | overrides
    return engagements.start_engagement(**values)


def post_start(client, round_obj, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "round": str(round_obj.pk),
        "company_name": "株式会社みらい工業",
        "corporate_number": "",
        "representative_name": "未来 太郎",
        "representative_email": "taro@mirai.example.jp",
        "submission_token": str(uuid.uuid4()),
    } | overrides
    return client.post("/support/engagements/new/", data)


# --- Item 5: addresses of accounts that are not an applicant's ------------------------------------


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.REVIEWER, Role.FINANCE, Role.AUDITOR, Role.ADVISOR])
def test_an_invitation_to_a_staff_or_advisor_address_is_refused_with_the_reason(advisor, round_open, role):
    other = UserFactory(role=role, email=f"{role}@association.example.jp")
    with pytest.raises(ValidationError) as refused:
        start(advisor, round_open, representative_email=other.email.upper())
    message = " ".join(refused.value.messages)
    assert other.email in message
    assert "申請者として招待できません" in message
    assert not Engagement.objects.exists()
    assert not ClientInvitation.objects.exists()


def test_the_refusal_shows_beside_the_address_on_the_form(advisor, round_open):
    UserFactory(role=Role.SECRETARIAT, email="secretariat@association.example.jp")
    response = post_start(
        signed_in(advisor), round_open, representative_email="secretariat@association.example.jp"
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "representative_email" in errors, errors
    assert "申請者として招待できません" in errors["representative_email"][0]
    assert not Engagement.objects.exists()


def test_the_representative_cannot_invite_a_staff_address_as_their_staff(engagement, representative):
    auditor = UserFactory(role=Role.AUDITOR, email="auditor@association.example.jp")
    with pytest.raises(ValidationError) as refused:
        invitations.invite_staff(
            actor=representative, engagement=engagement, name="監査", email=auditor.email
        )
    assert "申請者として招待できません" in " ".join(refused.value.messages)
    response = signed_in(representative).post(
        f"/support/my/{engagement.pk}/staff/new/", {"name": "監査", "email": auditor.email}
    )
    assert response.status_code == 400
    assert "申請者として招待できません" in response.context["form"].errors["email"][0]
    assert not ClientInvitation.objects.filter(email=auditor.email).exists()


def test_an_applicant_of_another_company_may_still_be_invited(advisor, round_open):
    applicant = UserFactory(role=Role.APPLICANT, email="owner@two-companies.example.jp")
    engagement = start(advisor, round_open, representative_email=applicant.email)
    assert engagement.invitations.get().email == applicant.email


# --- Item 4: the firm itself, its people, and one company invited many times ----------------------


def test_the_firms_own_corporate_number_is_refused(advisor, firm, round_open):
    assert firm.corporate_number == VALID_CORPORATE_NUMBER
    with pytest.raises(ValidationError) as refused:
        start(advisor, round_open, corporate_number=VALID_CORPORATE_NUMBER)
    assert "自社" in " ".join(refused.value.messages)
    response = post_start(signed_in(advisor), round_open, corporate_number=VALID_CORPORATE_NUMBER)
    assert response.status_code == 400
    assert "自社" in response.context["form"].errors["corporate_number"][0]
    assert not Engagement.objects.exists()


def test_a_member_of_the_firm_cannot_be_the_representative(advisor, firm, round_open):
    colleague = add_advisor(firm, email="colleague@firm.example.jp")
    with pytest.raises(ValidationError) as refused:
        start(advisor, round_open, representative_email=colleague.email)
    assert "認定事業者のメンバー" in " ".join(refused.value.messages)
    assert not Engagement.objects.exists()


def test_a_second_invitation_of_one_corporate_number_warns_and_is_sent_once_confirmed(
    advisor, round_open, programme
):
    number = corporate_number()
    start(advisor, round_open, corporate_number=number)
    other = advisor_of(certified_firm(programme, name="ほかの支援株式会社"))
    with pytest.raises(engagements.RepeatInvitation) as warned:
        start(other, round_open, corporate_number=number, company_name="みらい工業株式会社")
    assert "すでに1回招待されています" in " ".join(warned.value.messages)
    assert Engagement.objects.filter(corporate_number=number).count() == 1
    again = start(
        other, round_open, corporate_number=number, company_name="みらい工業株式会社", repeat_confirmed=True
    )
    assert again.invitations.count() == 1
    assert Engagement.objects.filter(corporate_number=number).count() == 2


def test_the_form_shows_the_warning_and_sends_after_the_box_is_ticked(advisor, round_open):
    number = corporate_number()
    start(advisor, round_open, corporate_number=number)
    client = signed_in(advisor)
    warned = post_start(
        client, round_open, corporate_number=number, representative_email="b@mirai.example.jp"
    )
    assert warned.status_code == 400
    page = warned.content.decode()
    assert "すでに1回招待されています" in page
    assert 'name="repeat_confirmed"' in page
    assert Engagement.objects.filter(corporate_number=number).count() == 1
    sent = post_start(
        client,
        round_open,
        corporate_number=number,
        representative_email="b@mirai.example.jp",
        repeat_confirmed="on",
    )
    assert sent.status_code == 302
    assert Engagement.objects.filter(corporate_number=number).count() == 2


def test_the_secretariat_sees_one_corporate_number_invited_three_times(advisor, round_open, programme):
    number = corporate_number()
    start(advisor, round_open, corporate_number=number, company_name="株式会社みらい工業")
    start(
        advisor,
        round_open,
        corporate_number=number,
        company_name="みらい工業",
        repeat_confirmed=True,
        representative_email="b@mirai.example.jp",
    )
    other = advisor_of(certified_firm(programme, name="ほかの支援株式会社"))
    start(
        other, round_open, corporate_number=number, company_name="ミライ工業株式会社", repeat_confirmed=True
    )
    start(advisor, round_open, corporate_number=corporate_number(), company_name="株式会社ひとつだけ")
    secretariat = UserFactory(role=Role.SECRETARIAT)
    page = signed_in(secretariat).get("/support/staff/").content.decode()
    assert page.count("同じ法人番号の招待 3件") == 3
    assert "同じ法人番号の招待 1件" not in page
