import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client

from dxgrant.accounts.models import Role, User
from tests.factories import PASSWORD, TOTP_SECRET
from tests.factories.accounts import wait_out_code_rollover

pytestmark = pytest.mark.django_db


def current_code(secret: str = TOTP_SECRET) -> str:
    wait_out_code_rollover()
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_an_applicant_signs_in_with_email_and_password(make_user):
    user = make_user(Role.APPLICANT)
    client = Client()
    response = sign_in(client, user.email)
    assert response.status_code == 302 and response["Location"] == "/me/"
    page = client.get("/me/").content.decode()
    assert user.email in page and "申請者" in page


def test_a_wrong_password_says_so_and_signs_nobody_in(make_user):
    user = make_user(Role.APPLICANT)
    client = Client()
    response = sign_in(client, user.email, "wrong-password-1234")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FINANCE, Role.REVIEWER, Role.AUDITOR])
def test_staff_roles_need_the_one_time_code(make_user, role):
    user = make_user(role)
    client = Client()
    response = sign_in(client, user.email)
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000" if current_code() != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    ok = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FINANCE, Role.REVIEWER, Role.AUDITOR])
def test_staff_without_mfa_are_sent_to_enrol_before_anything_else(make_user, role):
    user = make_user(role, mfa=False)
    client = Client()
    assert sign_in(client, user.email).status_code == 302
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get("/staff/inquiries/")["Location"].startswith("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a second factor is added.
    reauth = client.get("/accounts/2fa/totp/activate/")
    assert reauth["Location"].startswith("/accounts/reauthenticate/")
    client.post(reauth["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/me/").status_code == 200


def test_applicants_are_not_forced_into_mfa(make_user):
    client = Client()
    client.force_login(make_user(Role.APPLICANT))
    assert client.get("/me/").status_code == 200


def test_repeated_failures_lock_the_account_out(make_user, settings):
    user = make_user(Role.APPLICANT)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.email, "wrong-password-1234")
    locked = sign_in(client, user.email)  # even the right password
    assert locked.status_code == 429
    assert "一時的に停止" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_open_sign_up_is_closed(db):
    response = Client().post(
        "/accounts/signup/", {"email": "new@example.jp", "password1": "x" * 12, "password2": "x" * 12}
    )
    assert not User.objects.filter(email="new@example.jp").exists()
    assert response.status_code in (200, 302, 403)


def test_weak_passwords_are_refused(make_user):
    user = make_user(Role.APPLICANT)
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
