"""Back-office sessions end after a working day and after an idle period ("stay signed in" does
not give them a fortnight), and what a signed-in person is shown is never kept by a cache."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from dxgrant.accounts.models import Role
from tests.accounts.test_sign_in import current_code
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import signed_in
from tests.factories.applications import fill_application, make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FINANCE, Role.REVIEWER, Role.AUDITOR])
def test_stay_signed_in_does_not_give_back_office_accounts_a_long_cookie(role, settings):
    user = UserFactory(role=role)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD, "remember": "on"})
    done = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    cookie = done.cookies[settings.SESSION_COOKIE_NAME]
    day = settings.DXGRANT_STAFF_SESSION_HOURS * 3600
    assert cookie["max-age"] and int(cookie["max-age"]) <= day, cookie.output()
    assert client.session.get_expiry_age() <= day


def test_applicants_may_still_stay_signed_in(settings):
    user = UserFactory(role=Role.APPLICANT)
    client = Client()
    done = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD, "remember": "on"})
    assert int(done.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == settings.SESSION_COOKIE_AGE


def test_a_back_office_session_ends_after_an_idle_period(settings):
    idle = dt.timedelta(minutes=settings.DXGRANT_STAFF_SESSION_IDLE_MINUTES)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = signed_in(UserFactory(role=Role.SECRETARIAT))
        assert client.get("/staff/inquiries/").status_code == 200
        clock.shift(idle - dt.timedelta(minutes=1))
        assert client.get("/staff/inquiries/").status_code == 200  # active: the clock restarts
        clock.shift(idle - dt.timedelta(minutes=1))
        assert client.get("/staff/inquiries/").status_code == 200
        clock.shift(idle + dt.timedelta(minutes=1))
        ended = client.get("/staff/inquiries/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    page = client.get(ended["Location"]).content.decode()
    assert "操作がなかったため" in page


def test_a_back_office_session_ends_after_a_working_day_even_when_active(settings):
    day = dt.timedelta(hours=settings.DXGRANT_STAFF_SESSION_HOURS)
    step = dt.timedelta(minutes=settings.DXGRANT_STAFF_SESSION_IDLE_MINUTES // 2)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = signed_in(UserFactory(role=Role.AUDITOR))
        elapsed = dt.timedelta(0)
        while elapsed + step < day:
            assert client.get("/staff/inquiries/").status_code == 200, elapsed
            clock.shift(step)
            elapsed += step
        clock.shift(step + dt.timedelta(minutes=1))  # past the working day, not idle
        ended = client.get("/staff/inquiries/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    assert "ログインしてから" in client.get(ended["Location"]).content.decode()


def test_an_applicants_session_is_not_cut_short():
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = signed_in(UserFactory(role=Role.APPLICANT))
        clock.shift(dt.timedelta(hours=3))
        assert client.get("/me/").status_code == 200


def assert_private(response) -> None:  # type: ignore[no-untyped-def]
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (response.status_code, response.get("Cache-Control"))


def test_what_a_signed_in_person_is_shown_is_private_and_not_stored(programme):
    staff = signed_in(UserFactory(role=Role.SECRETARIAT))
    app = fill_application(make_application(programme))
    for path in (
        "/me/",
        "/staff/applications/",
        f"/staff/applications/{app.pk}/",
        f"/staff/applications/{app.pk}/application.pdf",
        "/accounts/2fa/",
    ):
        response = staff.get(path)
        assert response.status_code in (200, 302), path
        assert_private(response)
    applicant = signed_in(UserFactory(role=Role.APPLICANT))
    assert_private(applicant.get("/me/"))
    # A public page seen by a visitor may be cached as usual.
    assert "no-store" not in Client().get("/").get("Cache-Control", "")
