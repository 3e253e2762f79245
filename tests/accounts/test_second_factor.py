"""Staff pages, advisors' pages and the Django admin need a session that PASSED the second factor
(not merely an account with one enrolled), and the admin's own login form is not a way round the
site's sign-in."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from dxgrant.accounts.models import Role
from tests.accounts.test_sign_in import current_code, sign_in
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import password_only, signed_in

pytestmark = pytest.mark.django_db


def superuser():  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.SECRETARIAT, is_staff=True, is_superuser=True)


def test_the_admin_login_form_does_not_sign_anyone_in():
    """A superuser with TOTP enrolled posting email and password to the admin's own login form
    got into the admin and every staff page without a code."""
    user = superuser()
    client = Client()
    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": user.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    # The admin's login is the site's own sign-in (password, then the code).
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/django-admin/" in response["Location"]
    assert client.get("/django-admin/").status_code == 302
    assert client.get("/staff/inquiries/").status_code == 302


def test_the_admin_is_reached_through_the_site_sign_in_with_the_code():
    user = superuser()
    client = Client()
    first = client.post("/accounts/login/?next=/django-admin/", {"login": user.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate/" in first["Location"]
    assert client.get("/django-admin/").status_code == 302  # not yet
    done = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert done["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR, Role.FINANCE, Role.REVIEWER, Role.ADVISOR])
def test_a_session_that_skipped_the_code_is_signed_out_of_every_page(role):
    """Enrolled is not enough: a session signed in with the password alone (here, the way the
    admin login used to) is signed out and sent to the sign-in, not shown the page."""
    user = UserFactory(role=role)
    assert Authenticator.objects.filter(user=user).exists()
    client = password_only(Client(), user)
    for path in ("/me/", "/staff/inquiries/", "/support/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), (path, response["Location"])
        password_only(client, user)
    client.get("/me/")
    assert "_auth_user_id" not in client.session


def test_a_session_that_passed_the_code_reaches_staff_pages():
    client = signed_in(UserFactory(role=Role.SECRETARIAT))
    assert client.get("/staff/inquiries/").status_code == 200


def test_advisors_need_the_one_time_code_to_sign_in():
    """Advisors handle their clients' financial documents: password alone is not enough."""
    advisor = UserFactory(role=Role.ADVISOR)
    client = Client()
    response = sign_in(client, advisor.email)
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    ok = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(advisor.pk)
    assert client.get("/me/").status_code == 200


def test_an_advisor_without_an_authenticator_enrols_before_anything_else():
    advisor = UserFactory(role=Role.ADVISOR, mfa=False)
    client = Client()
    assert sign_in(client, advisor.email)["Location"] == "/me/"
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")
    # Having enrolled, the session counts as one that passed the second factor.
    reauth = client.get("/accounts/2fa/totp/activate/")
    client.post(reauth["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    done = client.post("/accounts/2fa/totp/activate/", {"code": current_code(page.context["form"].secret)})
    assert done.status_code == 302
    assert client.get("/me/").status_code == 200


def test_roles_that_need_it_cannot_remove_their_authenticator():
    user = UserFactory(role=Role.ADVISOR)
    client = signed_in(user)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    asked = client.get("/accounts/2fa/totp/deactivate/")
    if asked.status_code == 302:  # allauth asks for the password again first
        client.post(asked["Location"], {"password": PASSWORD})
    client.post("/accounts/2fa/totp/deactivate/", {})
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
