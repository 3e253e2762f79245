"""Each staff role has a back-office navigation of its own, and each role's pages speak to that
role (issue 9, item 14)."""

from __future__ import annotations

import re

import pytest

from dxgrant.accounts.models import Role
from tests.factories.accounts import signed_in
from tests.factories.advisors import certified_firm, firm_admin, submitted_firm

pytestmark = pytest.mark.django_db


def role_nav(page: str) -> str:
    found = re.search(r'<nav class="role-nav" aria-label="([^"]+)">(.*?)</nav>', page, re.S)
    assert found, "no back-office navigation"
    return found.group(1) + "\n" + found.group(2)


def links(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR])
def test_secretariat_and_auditor_have_the_back_office_on_every_page(client_for, programme, role):
    client = client_for(role)
    # The committee is the secretariat's alone; the auditor reads the rest.
    committee = ["/staff/decisions/"] if role == Role.SECRETARIAT else []
    for path in ("/me/", "/staff/applications/", "/", "/advisors/review/"):
        nav = role_nav(client.get(path).content.decode())
        assert links(nav) == [
            "/staff/applications/",
            "/staff/applications/screening/",
            "/staff/review/",
            *committee,
            # What follows the grant (issue 12).
            "/staff/support-reports/",
            "/staff/plan-changes/",
            "/staff/results-reports/",
            "/staff/kpi/",
            "/staff/surveys/",
            "/staff/reminders/",
            "/advisors/review/",
            "/support/staff/",
            "/staff/inquiries/",
            "/staff/dashboard/",
        ]
    page = client.get("/staff/inquiries/").content.decode()
    assert '<a href="/staff/inquiries/" aria-current="page">' in role_nav(page)


def test_the_auditors_links_are_headed_as_reading_not_as_the_secretariats_work(client_for, programme):
    page = client_for(Role.AUDITOR).get("/me/").content.decode()
    assert "事務局の業務" not in page
    assert "監査（閲覧のみ）" in page
    assert "変更はできません" in page


@pytest.mark.parametrize(
    ("role", "title", "nothing_yet", "work"),
    [
        # The reviewer's work is their queue of assignments.
        (Role.REVIEWER, "審査員の業務", "担当する申請はまだありません。", "/review/"),
        (Role.FINANCE, "経理の業務", "承認を待つ支払はまだありません。", "/me/"),
    ],
)
def test_reviewer_and_finance_have_a_home_that_says_nothing_is_assigned_yet(
    client_for, programme, role, title, nothing_yet, work
):
    client = client_for(role)
    home = client.get("/me/").content.decode()
    assert title in role_nav(home)
    # Finance also reads the programme's figures (the KPI cohort and the dashboard).
    figures = [work, "/staff/kpi/", "/staff/dashboard/"]
    assert links(role_nav(home)) == (figures if role == Role.FINANCE else [work])
    assert nothing_yet in home
    for path in ("/me/", "/applications/"):
        assert "申請は、支援先のページから作成します。" not in client.get(path).content.decode()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ADVISOR])
def test_applicants_and_advisors_have_no_back_office(client_for, programme, role):
    page = client_for(role).get("/me/").content.decode()
    assert 'class="role-nav"' not in page
    for path in ("/staff/reminders/", "/staff/surveys/", "/staff/kpi/", "/staff/support-reports/"):
        assert f'href="{path}"' not in page


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.AUDITOR, Role.FINANCE, Role.REVIEWER])
def test_every_link_in_a_roles_bar_opens_for_that_role(client_for, programme, role):
    """The bar follows the pages' own policies: no link leads to a refusal."""
    client = client_for(role)
    for path in links(role_nav(client.get("/me/").content.decode())):
        assert client.get(path).status_code == 200, path


def test_a_firm_not_yet_certified_does_not_make_its_people_certified_advisors(programme):
    firm = submitted_firm(programme, name="審査待ち支援株式会社")
    page = signed_in(firm_admin(firm)).get("/me/").content.decode()
    assert "認定アドバイザー" not in page
    assert "アドバイザー（審査待ち支援株式会社・認定前）" in page


def test_a_certified_firms_people_are_certified_advisors(programme):
    firm = certified_firm(programme, name="認定済み支援株式会社")
    page = signed_in(firm_admin(firm)).get("/me/").content.decode()
    assert "認定アドバイザー（認定済み支援株式会社）" in page


def test_a_suspended_firms_people_are_told_so(programme):
    firm = certified_firm(programme, state="suspended", name="停止中支援株式会社")
    page = signed_in(firm_admin(firm)).get("/me/").content.decode()
    assert "認定アドバイザー" not in page
    assert "アドバイザー（停止中支援株式会社・認定停止中）" in page
