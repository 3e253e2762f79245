"""Setting up the authenticator returns to the page that asked for it, and a person who has just
created their account from an invitation is not asked for the password they just chose."""

from __future__ import annotations

import uuid

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dxgrant.accounts.models import Role, User
from dxgrant.support.models import ClientInvitation
from dxgrant.support.services import engagements as support_engagements
from tests.accounts.test_sign_in import current_code, sign_in
from tests.factories import PASSWORD
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db
ACTIVATE = "/accounts/2fa/totp/activate/"


def enrol(client: Client, next_url: str, *, password: str | None = None):  # type: ignore[no-untyped-def]
    page = client.get(f"{ACTIVATE}?next={next_url}")
    if password is not None:  # allauth asks for the password again first
        assert page["Location"].startswith("/accounts/reauthenticate/")
        client.post(page["Location"], {"password": password})
        page = client.get(f"{ACTIVATE}?next={next_url}")
    assert page.status_code == 200
    return client.post(ACTIVATE, {"code": current_code(page.context["form"].secret)})


def test_after_enrolment_the_person_is_offered_the_way_back(make_user):
    user = make_user(Role.APPLICANT)
    client = Client()
    sign_in(client, user.email)
    done = enrol(client, "/applications/7/confirm/", password=PASSWORD)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # The recovery codes are made now and shown first; the page then leads back.
    assert done.status_code == 302 and "recovery-codes" in done["Location"]
    codes = client.get(done["Location"]).content.decode()
    assert 'href="/applications/7/confirm/"' in codes and "続ける" in codes
    # Offered once: a later visit to the codes does not lead back to a page long done with.
    again = client.get(done["Location"]).content.decode()
    assert "/applications/7/confirm/" not in again and "続ける" not in again
    assert "mfa_next" not in client.session


def test_a_foreign_next_is_ignored(make_user):
    user = make_user(Role.APPLICANT)
    client = Client()
    sign_in(client, user.email)
    done = enrol(client, "https://evil.example/phish", password=PASSWORD)
    codes = client.get(done["Location"]).content.decode()
    assert "evil.example" not in codes and "続ける" not in codes


def test_a_new_account_from_an_invitation_sets_up_the_authenticator_without_a_password_prompt(programme):
    firm = certified_firm(programme, name="二段階支援株式会社")
    engagement = support_engagements.start_engagement(
        actor=advisor_of(firm),
        round=open_round(programme),
        company_name="株式会社にだん",
        representative_name="二段 花子",
        representative_email="hanako@nidan.example.jp",
        submission_token=uuid.uuid4(),
    )
    invitation = ClientInvitation.objects.get(engagement=engagement)
    client = Client()
    password = "kH7#mq2-Lp9x"
    joined = client.post(
        f"/support/invitations/accept/{invitation.link_token()}/",
        {"display_name": "二段 花子", "password1": password, "password2": password},
    )
    assert joined.status_code == 302
    page = client.get(joined["Location"]).content.decode()
    assert "二段階認証を設定してください" in page
    assert enrol(client, joined["Location"]).status_code == 302
    user = User.objects.get(email="hanako@nidan.example.jp")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "二段階認証を設定してください" not in client.get(joined["Location"]).content.decode()


def test_the_way_back_survives_the_password_prompt(make_user):
    """The whole journey as a person makes it: the link with ?next=, allauth's password prompt,
    back to the set-up page by allauth's own redirect (no second visit of the link), the code,
    then the recovery codes with the way back, never the MFA index."""
    user = make_user(Role.APPLICANT)
    client = Client()
    sign_in(client, user.email)
    asked = client.get(f"{ACTIVATE}?next=/applications/7/confirm/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    back = client.post(asked["Location"], {"password": PASSWORD})
    assert back.status_code == 302
    page = client.get(back["Location"])
    assert page.status_code == 200 and "form" in page.context
    done = client.post(ACTIVATE, {"code": current_code(page.context["form"].secret)})
    assert done["Location"] != "/accounts/2fa/"
    codes = client.get(done["Location"]).content.decode()
    assert 'href="/applications/7/confirm/"' in codes and "続ける" in codes
